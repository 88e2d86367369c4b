"""A valid answer for any checklist item, varied by `n`, for the benches that fill assessments."""


def value_for(item, n: int):
    if item.type == "compliance":
        return ("yes", "partly", "no", "dont_know")[n % 4]
    if item.type == "single_choice":
        return item.choices[n % len(item.choices)].id
    if item.type == "multiple_choice":
        return [item.choices[0].id]
    if item.type == "number":
        return int(item.minimum or 0) + 1
    if item.type == "date":
        return "2026-10-01"
    return f"remark {n}"
