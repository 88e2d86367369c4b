"""The `guidecheck` command line: every core feature, no Qt."""
