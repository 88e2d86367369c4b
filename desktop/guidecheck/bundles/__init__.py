"""Signed, encrypted sync bundles: the USB handover of records from a clinic to its district hub.

Nothing heavy is imported here: the CLI and the GUI import the submodules they need inside the
command or dialog that uses them, so app start-up never pays for `cryptography` or `pyrage`.
"""
