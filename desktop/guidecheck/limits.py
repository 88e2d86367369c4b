"""Size limits, in one place: what GuideCheck accepts from a file, a person or a bundle.

They keep a hostile or broken file from exhausting memory on an old laptop, and they must agree
where one part hands data to another (a questionnaire copied into a bundle must still load).
"""

from __future__ import annotations

QUESTIONNAIRE_BYTES = 2 * 1024 * 1024  # a checklist YAML file, on disk or carried in a bundle
YAML_NESTING = 40  # nesting depth of a checklist YAML document
EXPRESSION_LENGTH = 500  # characters in one skip-logic condition
EXPRESSION_DEPTH = 32  # nesting depth of one condition

ANSWER_TEXT = 10_000  # characters in one text answer
PROFILE_FIELD = 500  # characters in one assessment profile field (facility, tool, names)
ANSWERS_FILE_BYTES = 5 * 1024 * 1024  # an answers file imported into an assessment

BUNDLE_MANIFEST_BYTES = 64 * 1024  # a bundle's signed manifest
# A bundle's payload once decompressed: 32 MiB (a clinic's whole history is a few MB); held as
# Python objects it stays under 300 MB at the hub even when every text has 4-byte characters.
BUNDLE_PAYLOAD_JSON_BYTES = 32 * 1024 * 1024
BUNDLE_TEXT = 80_000  # the longest text field of a bundle record (see bundles/payload.FIELD_LIMITS)
BUNDLE_ANSWERS_PER_ASSESSMENT = 5000
KEY_FILE_BYTES = 16 * 1024  # a district key file
