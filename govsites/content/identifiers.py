"""Allocation of 索引号 (index numbers): <统一社会信用代码>/<year>-<5-digit sequence>."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import IndexNumber, IndexNumberCounter

SEQUENCE_DIGITS = 5


def format_index_number(credit_code: str, year: int, sequence: int) -> str:
    """Return the display form used in the 信息公开目录, e.g. 11441700007280420Y/2021-00050."""
    return f"{credit_code}/{year}-{sequence:0{SEQUENCE_DIGITS}d}"


def allocate_index_number(*, organisation: Any, year: int, page_id: int | None = None) -> str:
    """Take the next 索引号 for an organisation and year; safe under concurrent callers.

    The counter row is incremented with a single UPDATE, which takes the row (PostgreSQL) or
    database (SQLite) write lock before reading, so two callers can never read the same value.
    """
    for _attempt in range(5):
        try:
            with transaction.atomic():
                IndexNumberCounter.objects.get_or_create(organisation=organisation, year=year)
                IndexNumberCounter.objects.filter(organisation=organisation, year=year).update(
                    last_value=F("last_value") + 1)
                sequence = IndexNumberCounter.objects.get(
                    organisation=organisation, year=year).last_value
                value = format_index_number(organisation.credit_code, year, sequence)
                IndexNumber.objects.create(value=value, organisation=organisation, year=year,
                                           sequence=sequence, page_id_at_allocation=page_id)
                return value
        except IntegrityError:
            # Another transaction created the counter row between our read and write; retry.
            continue
    raise RuntimeError("could not allocate an index number after 5 attempts")


def reserve_index_numbers(*, organisation: Any, year: int, count: int) -> list[str]:
    """Take the next `count` 索引号 of an organisation and year at once (bulk import).

    One counter UPDATE and one bulk INSERT instead of three statements per number; the
    numbers are consecutive and, like every allocation, never reused.
    """
    if count <= 0:
        return []
    with transaction.atomic():
        IndexNumberCounter.objects.get_or_create(organisation=organisation, year=year)
        IndexNumberCounter.objects.filter(organisation=organisation, year=year).update(
            last_value=F("last_value") + count)
        last = IndexNumberCounter.objects.get(organisation=organisation, year=year).last_value
        sequences = range(last - count + 1, last + 1)
        numbers = [IndexNumber(value=format_index_number(organisation.credit_code, year, s),
                               organisation=organisation, year=year, sequence=s)
                   for s in sequences]
        IndexNumber.objects.bulk_create(numbers)
    return [n.value for n in numbers]
