"""The inspector's checks, registered by rule id (importing this package registers them)."""

from . import page_checks, service_checks, site_checks  # noqa: F401
