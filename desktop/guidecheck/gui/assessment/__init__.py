"""The clinic's screens: home list, new assessment, walk-through, review, sign-off and result."""
