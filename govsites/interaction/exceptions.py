"""Refusals of the interaction services, each explained in one sentence for the person acting."""

from django.core.exceptions import ValidationError


class TransitionRefused(ValidationError):
    """A handling step is not possible from the message's (or reply's) current state."""


class NotAllowed(ValidationError):
    """The acting person may not take this step on this message."""
