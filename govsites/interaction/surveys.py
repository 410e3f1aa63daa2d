"""Writes of 在线调查 (surveys): one response per person, and the staff's export.

One person answers once: a logged-in citizen by account, anyone else by the random token the
page keeps in a signed cookie after they answered (`respondent_key`); the database refuses a
second response with the same key. The per-client limit on responses a minute is rule data
(`interaction.survey.responses_per_minute`). Text answers are stored with personal numbers
and addresses masked (`privacy.redact`) and are never shown publicly; only choice counts are
published, and only after the survey has closed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govsites.core import audit
from govsites.core.audit import sm3_hex

from . import audit as actions
from . import policies
from .choices import QuestionKind
from .exceptions import NotAllowed, TransitionRefused
from .models import Survey, SurveyQuestion, SurveyResponse
from .privacy import redact

MAX_TEXT_ANSWER = 500
COOKIE_SALT = "govsites.interaction.survey"
COOKIE_MAX_AGE = 366 * 24 * 3600
EXPORT_FORMATS = ("csv", "xlsx")


def cookie_name(survey: Survey) -> str:
    """The signed cookie that says this browser has answered the survey."""
    return f"govsites_survey_{survey.pk}"


def new_token() -> str:
    """A random token for the signed cookie of someone without an account."""
    return secrets.token_urlsafe(24)


def respondent_key(*, user: Any = None, token: str = "", citizen: Any = None) -> str:
    """The digest naming one respondent: their account if logged in (a citizen account, PA-15,
    or a staff one), else their cookie token."""
    if citizen is not None:
        return sm3_hex(f"survey-citizen:{citizen.pk}".encode())
    if user is not None and getattr(user, "is_authenticated", False):
        return sm3_hex(f"survey-user:{user.pk}".encode())
    if not token:
        raise ValueError("an anonymous respondent needs a token")
    return sm3_hex(f"survey-cookie:{token}".encode())


def has_responded(*, survey: Survey, user: Any = None, token: str = "",
                  citizen: Any = None) -> bool:
    """Say whether this account, or the browser holding this cookie token, has answered."""
    keys = []
    if citizen is not None:
        keys.append(respondent_key(citizen=citizen))
    if user is not None and getattr(user, "is_authenticated", False):
        keys.append(respondent_key(user=user))
    if token:
        keys.append(respondent_key(token=token))
    return bool(keys) and SurveyResponse.objects.filter(survey=survey, respondent__in=keys).exists()


def _clean_answer(question: SurveyQuestion, raw: Any) -> tuple[Any, str | None]:
    """Return (the stored answer or None when blank, an error message or None)."""
    if question.kind == QuestionKind.TEXT:
        text = str(raw or "").strip()
        if len(text) > MAX_TEXT_ANSWER:
            return None, _("回答不超过%(n)s字。") % {"n": MAX_TEXT_ANSWER}
        return (redact(text) if text else None), None
    values = raw if isinstance(raw, list | tuple) else ([raw] if raw not in (None, "") else [])
    options = question.option_list
    try:
        picked = sorted({int(v) for v in values})
    except (TypeError, ValueError):
        return None, _("请从给出的选项中选择。")
    if any(not 0 <= i < len(options) for i in picked):
        return None, _("请从给出的选项中选择。")
    if question.kind == QuestionKind.SINGLE and len(picked) > 1:
        return None, _("这道题只能选一项。")
    return (picked or None), None


def clean_answers(survey: Survey, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate the answers (keyed by question id); raise ValidationError keyed `q<id>`."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in survey.questions.all():
        answer, error = _clean_answer(question, raw.get(str(question.pk)))
        if error is None and answer is None and question.required:
            error = _("这道题必须回答。")
        if error:
            errors[f"q{question.pk}"] = error
        elif answer is not None:
            answers[str(question.pk)] = answer
    if errors:
        raise ValidationError(errors)
    return answers


def submit_response(*, survey: Survey, answers: Mapping[str, Any], acting_user: Any = None,
                    token: str = "", now: dt.datetime | None = None,
                    citizen: Any = None) -> SurveyResponse:
    """Record one person's answers while the survey is open; a second response is refused.

    `citizen` is the logged-in citizen account (PA-15): one response per account on any
    browser. `acting_user` a logged-in staff user; with neither, `token` is their cookie's.
    """
    now = now or timezone.now()
    if survey.state(timezone.localtime(now).date()) != "open":
        raise TransitionRefused(_("该调查不在调查期内。"))
    logged_in = acting_user is not None and getattr(acting_user, "is_authenticated", False)
    if survey.login_required and not logged_in and citizen is None:
        raise NotAllowed(_("请登录后参与本次调查。"))
    if has_responded(survey=survey, user=acting_user, token=token, citizen=citizen):
        raise TransitionRefused(_("您已参与过本次调查，每人只能提交一次。"))
    cleaned = clean_answers(survey, answers)
    if not cleaned:
        raise ValidationError(_("请至少回答一道题。"))
    key = respondent_key(user=acting_user if logged_in else None, token=token, citizen=citizen)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey, respondent=key, user=acting_user if logged_in else None,
                answers=cleaned, submitted_at=now)
            audit.record(action=actions.SURVEY_RESPOND, actor=acting_user if logged_in else None,
                         obj=response, organisation=survey.organisation_id,
                         details={"survey": survey.pk, "questions": len(cleaned)})
    except IntegrityError:
        raise TransitionRefused(_("您已参与过本次调查，每人只能提交一次。")) from None
    return response


def _export_table(survey: Survey) -> list[list[str]]:
    questions = list(survey.questions.all())
    rows = [["序号", "提交时间"] + [q.text for q in questions]]
    for n, response in enumerate(survey.responses.all(), start=1):
        row = [str(n), timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M")]
        for question in questions:
            answer = response.answers.get(str(question.pk))
            if answer is None:
                row.append("")
            elif question.kind == QuestionKind.TEXT:
                row.append(str(answer))
            else:
                options = question.option_list
                row.append("；".join(options[i] for i in answer if 0 <= i < len(options)))
        rows.append(row)
    return rows


def _csv(rows: Sequence[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        # A leading =, +, - or @ would be a formula in a spreadsheet: quote it as text.
        writer.writerow(["'" + cell if cell[:1] in "=+-@" and cell else cell for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(title: str, rows: Sequence[Sequence[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "答卷"
    for row in rows:
        sheet.append([cell for cell in row])
    for row_cells in sheet.iter_rows():
        for cell in row_cells:
            cell.data_type = "s"  # text, never a formula
    book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_responses(*, survey: Survey, acting_user: Any, fmt: str) -> bytes:
    """The survey's responses as CSV (UTF-8 with BOM) or XLSX, for staff who manage it."""
    if fmt not in EXPORT_FORMATS:
        raise ValidationError(_("导出格式只能是 CSV 或 XLSX。"))
    if not policies.can_manage_survey(acting_user, survey):
        raise NotAllowed(_("只能导出本单位的调查结果。"))
    rows = _export_table(survey)
    data = _csv(rows) if fmt == "csv" else _xlsx(survey.title, rows)
    audit.record(action=actions.SURVEY_EXPORT, actor=acting_user, obj=survey,
                 organisation=survey.organisation_id,
                 details={"format": fmt, "responses": len(rows) - 1})
    return data

