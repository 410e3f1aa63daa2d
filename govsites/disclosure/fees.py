"""信息处理费 (条例第42条, 国办函〔2020〕109号): per applicant per natural month, 按件.

The first `free` requests of a month are free; the following ones up to `first_band_up_to`
cost `step` 元 each; after that every further band of `band_size` requests costs `step` 元
more per request. The numbers and the switch are rule data (DS-10).
"""

from __future__ import annotations

from dataclasses import dataclass

from govsites import rules


@dataclass(frozen=True)
class FeeRates:
    enabled: bool
    free: int
    first_band_up_to: int
    band_size: int
    step_yuan: int


def rates(site: object | None = None) -> FeeRates:
    """Read the fee switch and rates from the rule set."""
    values = rules.snapshot(site=site)
    return FeeRates(
        enabled=bool(values.value("disclosure.fee.enabled")),
        free=int(values.value("disclosure.fee.free_requests_per_month")),
        first_band_up_to=int(values.value("disclosure.fee.first_band_up_to")),
        band_size=int(values.value("disclosure.fee.band_size")),
        step_yuan=int(values.value("disclosure.fee.step_yuan")),
    )


def fee_for(ordinal: int, rates: FeeRates) -> int:
    """Return the fee in 元 for an applicant's `ordinal`-th request of the month."""
    if ordinal < 1:
        raise ValueError("ordinal starts at 1")
    if not rates.enabled or ordinal <= rates.free:
        return 0
    if ordinal <= rates.first_band_up_to:
        return rates.step_yuan
    bands_after = -(-(ordinal - rates.first_band_up_to) // rates.band_size)
    return rates.step_yuan * (1 + bands_after)
