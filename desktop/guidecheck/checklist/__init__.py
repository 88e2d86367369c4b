"""Checklists as data: the model, the YAML reader and schema, the condition language, valid answers and scoring."""
