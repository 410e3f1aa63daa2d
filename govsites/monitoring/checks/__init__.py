"""The inspector's checks, registered by rule id (importing this package registers them)."""

from . import design_checks, page_checks, service_checks, site_checks  # noqa: F401
