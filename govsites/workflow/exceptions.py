"""Refusals of the review chain; each carries one sentence the admin shows as it is."""

from django.core.exceptions import PermissionDenied


class ReviewRefused(PermissionDenied):
    """The user may not take this review action now (the message says why)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ForcePublishRefused(PermissionDenied):
    """A force publication or its retrospective approval was refused (the message says why)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
