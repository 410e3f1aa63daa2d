"""`govsites screening_load_defaults`: add the missing national default dictionary entries."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from govsites.screening.services import load_national_defaults


class Command(BaseCommand):
    help = "Add the national default screening terms, contexts, domains and rules that are missing."

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_national_defaults()
        self.stdout.write(
            f"terms +{report.terms}, contexts +{report.contexts}, domains +{report.domains}, "
            f"rules +{report.rules}"
        )
