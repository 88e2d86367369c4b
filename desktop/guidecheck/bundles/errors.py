"""The one error a bundle can raise at a person: why a file was refused, in one plain sentence."""

from __future__ import annotations

from guidecheck.errors import UserError


class BundleRefused(UserError):
    """A bundle (or key file) that cannot be used; nothing in the database was changed."""
