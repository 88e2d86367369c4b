"""The PySide6 desktop app clinic staff use; it only calls the core, and the
core never imports Qt (CONTRIBUTING.md, Patterns).

PySide6-Essentials 6.12.0 is excluded in pyproject.toml: on Python 3.11 it releases one reference
too many to True and None on every signal emit and aborts the interpreter after a long session.
"""
