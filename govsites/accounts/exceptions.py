"""Refusals that explain themselves in one sentence."""


class AccountRefused(Exception):
    """A change to an account was refused; str() is the reason shown to the user."""


class DepartureRefused(AccountRefused):
    """A departure (离岗交接) cannot be processed as asked."""
