"""`make test` on a machine without the optional system packages (.ci/run checks it for real
with scripts/without-optional-tools.sh)."""

from __future__ import annotations

import warnings


def test_weasyprints_warning_about_a_missing_harfbuzz_subset_is_not_an_error() -> None:
    """WeasyPrint warns at import when libharfbuzz-subset is absent; the suite turns warnings
    into errors (pyproject.toml filterwarnings), which failed the monthly-report test there."""
    warnings.warn("HarfBuzz-Subset will be required by future versions of WeasyPrint. "
                  "Please install this library with your package manager.",
                  category=DeprecationWarning, stacklevel=1)
