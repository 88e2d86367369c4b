"""The SQLite store: schema and migrations, reads and writes, the audit chain, answers files and the checklist catalogue."""
