"""How a rule value is decided: national default → variant → cluster override → site override.

1. The national default comes from the registry.
2. The variant is the site's own choice if it has one, else the cluster's choice (admin), else
   the installation's `GOVSITES_RULES_VARIANT` setting, else the national defaults alone. Its
   file's value replaces the default for the parameters it names.
3. An administrator's override for the whole cluster replaces that.
4. An administrator's override for the one site replaces everything else.

`snapshot()` reads the choices and overrides once (two queries) and answers any number of
`value()` calls; `value()` is the one-off form. A snapshot with an explicit variant and
`database=False` uses the shipped files only (the inspector's `--variant`, and tests).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from .registry import (
    NATIONAL,
    Parameter,
    Registry,
    RegistryError,
    UnknownParameter,
    Variant,
    load_variant_file,
    registry,
    variants,
)

ORIGIN_LABELS = {"national": "全国默认", "variant": "规则变体", "cluster": "全站群调整",
                 "site": "本网站调整"}


class RulesError(RuntimeError):
    """The installation's rule configuration cannot be used (unknown variant, no tables)."""


@dataclass(frozen=True)
class Applied:
    """One value in force and where it came from."""

    value: Any
    origin: str  # national | variant | cluster | site
    reason: str = ""

    @property
    def origin_label(self) -> str:
        return ORIGIN_LABELS[self.origin]


@dataclass(frozen=True)
class Resolved:
    """Every parameter's value for one site (or the cluster) at one moment."""

    registry_version: str
    variant: str
    variant_origin: str  # setting | cluster | site | explicit | default
    site_id: int | None
    applied: dict[str, Applied]
    override_count: int = 0
    ignored: tuple[str, ...] = field(default_factory=tuple)

    def value(self, key: str) -> Any:
        """Return the value in force of a declared parameter."""
        try:
            return self.applied[key].value
        except KeyError:
            raise UnknownParameter(key) from None

    def origin(self, key: str) -> Applied:
        try:
            return self.applied[key]
        except KeyError:
            raise UnknownParameter(key) from None

    def under(self, prefix: str) -> dict[str, Any]:
        """The parameters directly under a dotted prefix, by their last name segment."""
        start = prefix + "."
        return {key[len(start):]: a.value for key, a in self.applied.items()
                if key.startswith(start) and "." not in key[len(start):]}

    @property
    def label(self) -> str:
        """A short name for reports: variant@registry version (+ overrides)."""
        text = f"{self.variant}@{self.registry_version}"
        return text + (f"+{self.override_count}项调整" if self.override_count else "")


def configured_variant() -> str:
    """The installation's default variant (setting), or the national defaults."""
    return str(getattr(settings, "GOVSITES_RULES_VARIANT", "") or NATIONAL)


def variant_by_name(name: str) -> Variant | None:
    """Return a shipped variant, None for the national defaults; RulesError when unknown."""
    if not name or name == NATIONAL:
        return None
    try:
        return variants()[name]
    except KeyError:
        known = "、".join(variants()) or "无"
        raise RulesError(f"规则变体“{name}”不存在（可选：{NATIONAL}、{known}）") from None


_BASE_CACHE: dict[tuple[int, str, str], dict[str, Applied]] = {}


def _base(book: Registry, variant: Variant | None) -> dict[str, Applied]:
    """The shipped files' values (defaults, then the variant's): a fresh dict each call, built
    once per registry and variant (building it is most of a snapshot's cost, and every public
    request takes a snapshot)."""
    key = (id(book), book.version, variant.name if variant is not None else NATIONAL)
    cached = _BASE_CACHE.get(key)
    if cached is None or (variant is not None and _BASE_VARIANTS.get(key) is not variant):
        cached = {name: Applied(param.default, "national") for name, param in book.params.items()}
        if variant is not None:
            for name, entry in variant.values.items():
                cached[name] = Applied(entry.value, "variant", f"{variant.title} {entry.article}")
        if len(_BASE_CACHE) > 64:
            _BASE_CACHE.clear()
            _BASE_VARIANTS.clear()
        _BASE_CACHE[key] = cached
        if variant is not None:
            _BASE_VARIANTS[key] = variant
    return dict(cached)


_BASE_VARIANTS: dict[tuple[int, str, str], Variant] = {}


def from_files(variant: str | Path | None = None) -> Resolved:
    """The values of the shipped files alone: national defaults, plus a variant by name or path."""
    book = registry()
    chosen: Variant | None
    if isinstance(variant, Path) or (isinstance(variant, str) and variant.endswith(".json")):
        path = Path(variant)
        if not path.is_file():
            raise RulesError(f"规则变体文件“{path}”不存在")
        try:
            chosen = load_variant_file(path, book)
        except RegistryError as exc:
            raise RulesError(str(exc)) from exc
    else:
        chosen = variant_by_name(str(variant or NATIONAL))
    return Resolved(registry_version=book.version, variant=chosen.name if chosen else NATIONAL,
                    variant_origin="explicit", site_id=None, applied=_base(book, chosen))


#: Seconds a process reuses a snapshot it read outside a transaction (two queries and the
#: merge were a tenth of a citizen's submission). A change made in this process (an override
#: or a variant choice saved or deleted) is read by the next call (`forget`, connected by the
#: rules app); other processes read it within this many seconds. Inside a transaction a
#: snapshot is always read afresh and never kept, so uncommitted values are never shared.
SNAPSHOT_SECONDS = 5.0
_kept: dict[int | None, tuple[float, Resolved]] = {}


def _keepable() -> bool:
    """Whether a snapshot read now may be kept: not inside a transaction."""
    from django.db import connection

    return not connection.in_atomic_block


def forget(**kwargs: Any) -> None:
    """Drop the snapshots this process keeps (a signal receiver)."""
    _kept.clear()


def snapshot(*, site: Any = None) -> Resolved:
    """The values in force for a site (or the whole cluster), from files and the database.

    The result is shared with other callers for SNAPSHOT_SECONDS: read it, never change it."""
    site_id = getattr(site, "pk", site) if site is not None else None
    if not _keepable():
        return _read_snapshot(site_id)
    now = time.monotonic()
    kept = _kept.get(site_id)
    if kept is not None and now - kept[0] < SNAPSHOT_SECONDS:
        return kept[1]
    resolved = _read_snapshot(site_id)
    _kept[site_id] = (now, resolved)
    return resolved


def _read_snapshot(site_id: int | None) -> Resolved:
    from django.db import DatabaseError
    from django.db.models import Q

    from .models import RuleOverride, VariantChoice

    book = registry()
    scope = Q(site__isnull=True) | Q(site_id=site_id) if site_id is not None else Q(site__isnull=True)
    try:
        choices: dict[int | None, str] = dict(
            VariantChoice.objects.filter(scope).values_list("site_id", "variant"))
        overrides = list(RuleOverride.objects.filter(scope).order_by("site_id", "pk")
                         .values_list("key", "value", "site_id", "reason"))
    except DatabaseError as exc:
        raise RulesError(
            f"无法读取规则设置（{exc}）：请先运行 govsites migrate；检查外部网站时也可用 --variant 指定规则变体"
        ) from exc
    if None in choices:
        cluster_name, cluster_origin = choices[None], "cluster"
    elif getattr(settings, "GOVSITES_RULES_VARIANT", ""):
        cluster_name, cluster_origin = configured_variant(), "setting"
    else:
        cluster_name, cluster_origin = NATIONAL, "default"
    if site_id is not None and site_id in choices:
        name, origin = choices[site_id], "site"
    else:
        name, origin = cluster_name, cluster_origin
    chosen = variant_by_name(name)
    applied = _base(book, chosen)
    if name != cluster_name:
        # Parameters read for the whole cluster follow the cluster's variant on every site.
        cluster_applied = _base(book, variant_by_name(cluster_name))
        for key, declared in book.params.items():
            if declared.cluster_only:
                applied[key] = cluster_applied[key]
    ignored: list[str] = []
    count = 0
    # Cluster rows sort first (site_id NULL), so a site's own override is applied last.
    for key, value_, row_site_id, reason in sorted(overrides, key=lambda r: r[2] is not None):
        param: Parameter | None = book.params.get(key)
        if param is None or param.check(value_) or (row_site_id and param.cluster_only):
            ignored.append(key)
            continue
        applied[key] = Applied(value_, "site" if row_site_id else "cluster", reason)
        count += 1
    return Resolved(registry_version=book.version, variant=chosen.name if chosen else NATIONAL,
                    variant_origin=origin, site_id=site_id, applied=applied,
                    override_count=count, ignored=tuple(ignored))


def value(key: str, *, site: Any = None) -> Any:
    """Return one parameter's value in force for a site (or the cluster)."""
    registry().parameter(key)  # unknown keys fail before any query
    return snapshot(site=site).value(key)


def dumps(value_: Any) -> str:
    """A value as the admin shows and edits it (JSON, Chinese kept readable)."""
    return json.dumps(value_, ensure_ascii=False)
