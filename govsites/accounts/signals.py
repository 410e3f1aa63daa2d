"""Signals that other apps receive (the review workflow reassigns tasks on departure)."""

from django.dispatch import Signal

#: Sent inside the departure transaction, after the account is disabled.
#: Arguments: user, successor, acting_user, reason, pending_reviews (list of TaskState).
#: Receivers change their own models only and write no audit record: the departure record
#: lists the task states handed over.
user_departed = Signal()
