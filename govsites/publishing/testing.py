"""Compatibility imports for branches written before the split (remove once all are merged).

The test-only helpers live in `govsites.testing.tools`; what `govsites screenshots` needs
(live_app, chromium_driver) lives in `govsites.publishing.liveserver`.
"""

from govsites.testing.tools import (  # noqa: F401
    AXE_PATH,
    AXE_TAGS,
    free_port,
    nginx_running,
    require,
    run_axe,
    wait_for_port,
)

from .liveserver import chromium_driver, chromium_paths, find_program, live_app  # noqa: F401
