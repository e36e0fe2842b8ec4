"""Offline collection: a survey round as an XLSForm (for ODK Collect or KoboToolbox), checked with pyxform, and the
collected CSV read back with row-level validation, saved all or nothing.

The CSV has one column per question (its name), an optional ``role`` column, and may carry the meta columns ODK
and Kobo add (ignored). Several choices are separated by spaces, as ODK writes them. Each row's key (its
``instanceID``/``_uuid``/``key`` if given, else a hash of its line and cells) makes re-importing a file add nothing.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from coalition.core import audit
from coalition.core.permissions import Role
from coalition.core.tabular import RowError, RowErrors, TableError, read_csv
from coalition.feedback import actions, bank
from coalition.feedback.models import QuestionKind, RoundStatus, SurveyResponse, SurveyRound

META_COLUMNS = (
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "_id",
    "_uuid",
    "_submission_time",
    "_index",
    "_status",
    "_submitted_by",
    "__version__",
    "_version_",
    "_validation_status",
    "_notes",
    "_tags",
    "_attachments",
    "_geolocation",
    "meta/instanceid",
    "instanceid",
    "key",
    "submissiondate",
    "meta/instancename",
    "_parent_index",
)
KEY_COLUMNS = ("meta/instanceid", "instanceid", "_uuid", "key")
SCALE_LIST = "scale_1_5"
ROLE_LIST = "roles"
MAX_IMPORT_ROWS = 20_000


def _list_name(name: str) -> str:
    return f"list_{name}"


def workbook(survey: SurveyRound) -> bytes:
    """The round as an XLSForm workbook (survey, choices and settings sheets)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = "survey"
    sheet.append(["type", "name", "label", "required"])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    sheet.append([f"select_one {ROLE_LIST}", "role", _("Your role in the coalition"), "no"])
    for role in Role:
        choices.append([ROLE_LIST, role.value, str(role.label)])
    used_scale = False
    for question in survey.questions.all():
        if question.kind == QuestionKind.SCALE:
            sheet.append([f"select_one {SCALE_LIST}", question.name, question.text, "yes"])
            used_scale = True
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            kind = "select_one" if question.kind == QuestionKind.SINGLE else "select_multiple"
            sheet.append(
                [
                    f"{kind} {_list_name(question.name)}",
                    question.name,
                    question.text,
                    "yes" if question.kind == QuestionKind.SINGLE else "no",
                ]
            )
            for value, label in question.choices:
                choices.append([_list_name(question.name), value, label])
        else:
            sheet.append(["text", question.name, question.text, "no"])
    if used_scale:
        for value, label in bank.SCALE_LABELS.items():
            choices.append([SCALE_LIST, str(value), str(label)])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version"])
    settings.append([survey.title, f"coalition_round_{survey.pk}", "1"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def validate(data: bytes) -> str:
    """Convert with pyxform (raising ``ValidationError`` if it refuses the form); returns the XForm XML."""
    try:
        xml: str = convert(xlsform=data, file_type=".xlsx").xform
        return xml
    except PyXFormError as error:
        raise ValidationError(str(error)) from error


@dataclass
class ImportReport:
    rows: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)  # (key, role, answers)
    errors: RowErrors = field(default_factory=RowErrors)
    already: int = 0


def read(survey: SurveyRound, data: bytes) -> ImportReport:
    """Check every row of a collected CSV; nothing is saved here."""
    questions = list(survey.questions.all())
    required = [q.name for q in questions if q.kind != QuestionKind.TEXT]
    optional = [q.name for q in questions if q.kind == QuestionKind.TEXT] + ["role", *META_COLUMNS]
    _header, rows = read_csv(data, required, optional)
    report = ImportReport()
    known = set(SurveyResponse.objects.filter(round=survey).exclude(import_key="").values_list("import_key", flat=True))
    kinds = {q.name: q.kind for q in questions}
    seen: set[str] = set()
    for line, row in rows:
        if line > MAX_IMPORT_ROWS + 1:
            raise TableError(_("The file has more than %(rows)s rows.") % {"rows": MAX_IMPORT_ROWS})
        given_key = next((row[c] for c in KEY_COLUMNS if row.get(c)), "")
        key = hashlib.sha256((given_key or f"{line}:{sorted(row.items())}").encode()).hexdigest()
        if key in known:
            report.already += 1
            continue
        if key in seen:
            report.errors.append(RowError(line, _("This row appears twice in the file.")))
            continue
        seen.add(key)
        role = row.get("role", "")
        if role and role not in Role.values:
            report.errors.append(RowError(line, _("Unknown role."), "role"))
            continue
        answers: dict[str, Any] = {
            name: (row.get(name, "").split() if kind == QuestionKind.MULTIPLE else row.get(name, ""))
            for name, kind in kinds.items()
        }
        try:
            actions.clean_answers(questions, answers)
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                report.errors.append(RowError(line, " ".join(messages), column))
            continue
        report.rows.append((key, role, answers))
    return report


@transaction.atomic
def do_import_responses(actor: Any, survey: SurveyRound, data: bytes) -> ImportReport:
    """Import a collected CSV into ``survey``: every row checked first; any rejected row means none is saved."""
    if survey.status == RoundStatus.DRAFT:
        raise ValidationError(_("Open the round before importing answers."))
    try:
        report = read(survey, data)
    except TableError as error:
        raise ValidationError(str(error)) from error
    if report.errors:
        return report
    questions = list(survey.questions.all())
    for key, role, answers in report.rows:
        cleaned = actions.clean_answers(questions, answers)
        actions.store_response(
            survey, cleaned, membership=None, role=role, sector="", source=SurveyResponse.Source.IMPORT, import_key=key
        )
    audit.record(actor, "survey_round.imported", survey, coalition=survey.coalition, note=f"{len(report.rows)} rows")
    return report
