"""The offline user guide shipped in the package (user-guide.md and its screenshots), built from
docs/user-guide.md by `build.py`, shown by `guide.py` (Help › User guide, F1)."""
