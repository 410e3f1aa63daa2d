"""Exceptions that name the situation; each carries a sentence the admin can show."""

from django.core.exceptions import ValidationError


class PubDateImmutable(ValidationError):
    """发布日期 is fixed at first publication; no edit may change or back-date it."""


class ItemNotPublishable(ValidationError):
    """The item cannot go live in its current state (the message says why)."""


class ReprintRefused(ValidationError):
    """A reprint (转载) cannot be placed where it was asked to go."""


class ImportRefused(ValidationError):
    """An import (or its rollback) cannot start now: another is unfinished or still running."""
