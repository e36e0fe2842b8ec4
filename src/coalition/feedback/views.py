"""Thin views of the listening app inside a coalition: the inbox and its loop (triage, answer, close), the member and
hub channels, survey rounds, answers and aggregate results (never below the coalition's minimum of answers)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.core.forms import render_form, run_action, run_action_message, submitted
from coalition.core.listing import paginate
from coalition.core.log import log_anonymously
from coalition.core.permissions import Perm
from coalition.core.tabular import csv_response, group_errors
from coalition.feedback import actions, calc, computed, queries
from coalition.feedback import xlsform as offline
from coalition.feedback.forms import (
    AnswerForm,
    CloseForm,
    ImportForm,
    MemberFeedbackForm,
    QuestionForm,
    RecordFeedbackForm,
    RoundForm,
    SettingsForm,
    TriageForm,
    answer_form_class,
)
from coalition.feedback.models import Channel, Feedback, RoundStatus, Status, SurveyRound

HANDLE = Perm.HANDLE_FEEDBACK
RUN = Perm.RUN_SURVEYS
PAGE_SIZE = 30
MAX_UPLOAD = 5 * 1024 * 1024


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


# ------------------------------------------------------------------------------------------------ inbox


@coalition_view(Perm.VIEW_FEEDBACK)
def inbox(request: HttpRequest, access: Access) -> HttpResponse:
    status = request.GET.get("status", "open")
    page, query = paginate(request, queries.inbox(access.coalition, status), PAGE_SIZE)
    listening = actions.settings_for(access.coalition)
    public_url = request.build_absolute_uri(reverse("feedback_public:form", args=[listening.public_key]))
    return render(
        request,
        "feedback/inbox.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": [("open", _("Open")), *Status.choices, ("all", _("All"))],
            "can_handle": access.can(HANDLE),
            "public_url": public_url,
            "listening": listening,
        },
    )


def _item(access: Access, feedback_id: int) -> Feedback:
    return scoped_get(access, Feedback.objects.select_related("coalition"), pk=feedback_id)


@coalition_view(Perm.VIEW_FEEDBACK)
def item(request: HttpRequest, access: Access, feedback_id: int) -> HttpResponse:
    feedback = _item(access, feedback_id)
    triage = TriageForm(
        initial={
            "topic": feedback.topic,
            "urgency": feedback.urgency,
            "assigned_to": feedback.assigned_to_id,
            "assigned_group": feedback.assigned_group_id,
        },
        coalition=access.coalition,
    )
    context = {
        "feedback": feedback,
        "can_handle": access.can(HANDLE),
        "triage_form": triage,
        "answer_form": AnswerForm(initial={"answer": feedback.answer}),
        "close_form": CloseForm(coalition=access.coalition),
    }
    return _private(render(request, "feedback/item.html", context))


@require_POST
@coalition_view(HANDLE)
def triage(request: HttpRequest, access: Access, feedback_id: int) -> HttpResponse:
    feedback = _item(access, feedback_id)
    form = TriageForm(request.POST, coalition=access.coalition)
    if form.is_valid():
        if run_action_message(request, actions.do_triage_feedback, request.user, feedback, **form.cleaned_data):
            messages.success(request, _("Triage saved."))
    else:
        messages.error(request, _("Choose a topic, an urgency and, if you wish, who takes it up."))
    return redirect("feedback:item", access.coalition.pk, feedback.pk)


@coalition_view(HANDLE)
def answer_item(request: HttpRequest, access: Access, feedback_id: int) -> HttpResponse:
    feedback = _item(access, feedback_id)
    form = AnswerForm(request.POST or None, initial={"answer": feedback.answer})
    if submitted(request, form) and run_action(
        form, actions.do_answer_feedback, request.user, feedback, answer=form.cleaned_data["answer"]
    ):
        messages.success(request, _("Answer saved. The person reads it with their code."))
        return redirect("feedback:item", access.coalition.pk, feedback.pk)
    return render_form(request, "feedback/form_page.html", {"form": form, "feedback": feedback, "title": _("Answer")})


@coalition_view(HANDLE)
def close(request: HttpRequest, access: Access, feedback_id: int) -> HttpResponse:
    feedback = _item(access, feedback_id)
    form = CloseForm(request.POST or None, coalition=access.coalition)
    if submitted(request, form) and run_action(
        form, actions.do_close_feedback, request.user, feedback, **form.cleaned_data
    ):
        messages.success(request, _("Closed. Thank you for closing the loop."))
        return redirect("feedback:item", access.coalition.pk, feedback.pk)
    return render_form(request, "feedback/form_page.html", {"form": form, "feedback": feedback, "title": _("Close")})


@coalition_view(Perm.VIEW_FEEDBACK)
def figures(request: HttpRequest, access: Access) -> HttpResponse:
    return render(request, "feedback/figures.html", {"months": queries.response_times(access.coalition)})


@coalition_view(HANDLE, write=Perm.CHANGE_SETTINGS)
def listening_settings(request: HttpRequest, access: Access) -> HttpResponse:
    current = actions.settings_for(access.coalition)
    form = SettingsForm(request.POST or None, instance=current)
    if submitted(request, form) and run_action(
        form,
        actions.do_update_settings,
        request.user,
        access.coalition,
        public_form_open=form.cleaned_data["public_form_open"],
        min_answers=form.cleaned_data["min_answers"],
    ):
        messages.success(request, _("Listening settings saved."))
        return redirect("feedback:inbox", access.coalition.pk)
    return render_form(request, "feedback/form_page.html", {"form": form, "title": _("Listening settings")})


def _done(request: HttpRequest, access: Access, code: str) -> HttpResponse:
    return _private(render(request, "feedback/given.html", {"code": code}))


@log_anonymously
@coalition_view(Perm.GIVE_FEEDBACK)
def give(request: HttpRequest, access: Access) -> HttpResponse:
    """A member's own channel: named, or anonymous (then nothing ties it to the account)."""
    form = MemberFeedbackForm(request.POST or None)
    if submitted(request, form):
        author = None if form.cleaned_data["anonymous"] else request.user
        saved = run_action(
            form, actions.do_submit_feedback, access.coalition, channel=Channel.MEMBER, author=author, **form.contact()
        )
        if saved:
            return _done(request, access, saved.value[1])
    return render_form(request, "feedback/give.html", {"form": form})


@coalition_view(HANDLE)
def record(request: HttpRequest, access: Access) -> HttpResponse:
    """The hub records feedback heard by phone or in person, on the person's behalf."""
    form = RecordFeedbackForm(request.POST or None)
    if submitted(request, form):
        saved = run_action(
            form, actions.do_submit_feedback, access.coalition, channel=form.cleaned_data["channel"], **form.contact()
        )
        if saved:
            return _done(request, access, saved.value[1])
    return render_form(request, "feedback/record.html", {"form": form})


# ---------------------------------------------------------------------------------------------- surveys


def _round(access: Access, round_id: int) -> SurveyRound:
    return scoped_get(access, SurveyRound, pk=round_id)


@coalition_view(Perm.VIEW)
def surveys(request: HttpRequest, access: Access) -> HttpResponse:
    can_results = access.can(Perm.VIEW_SURVEY_RESULTS)
    only = [int(v) for v in request.GET.getlist(computed.ROUND_PARAM) if v.isdigit()]  # a figure's rounds
    return render(
        request,
        "feedback/surveys.html",
        {
            "rounds": queries.rounds(access.coalition, only),
            "only": bool(only),
            "to_answer": queries.open_rounds_for(access.membership) if access.can(Perm.ANSWER_SURVEY) else [],
            "can_run": access.can(RUN),
            "can_results": can_results,
            "trends": queries.trends(access.coalition) if can_results else [],
            "minimum": queries.minimum_for(access.coalition),
        },
    )


@coalition_view(RUN)
def round_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = RoundForm(request.POST or None)
    if submitted(request, form):
        data = form.cleaned_data
        saved = run_action(
            form,
            actions.do_create_round,
            request.user,
            access.coalition,
            title=data["title"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            is_anonymous=data["is_anonymous"],
            bank_keys=data["bank_keys"],
        )
        if saved:
            messages.success(request, _("Round created as a draft: add your own questions, then open it."))
            return redirect("feedback:round", access.coalition.pk, saved.value.pk)
    return render_form(request, "feedback/form_page.html", {"form": form, "title": _("New survey round")})


@coalition_view(RUN)
def round_detail(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    survey = _round(access, round_id)
    return render(
        request,
        "feedback/round.html",
        {
            "survey": survey,
            "questions": survey.questions.all(),
            "question_form": QuestionForm(),
            "answered": survey.participations.count(),
            "asked": len(actions.respondents(access.coalition)),
            "not_answered": queries.not_answered(survey),
        },
    )


@coalition_view(RUN)
def question_new(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    survey = _round(access, round_id)
    form = QuestionForm(request.POST or None)
    if submitted(request, form) and run_action(
        form,
        actions.do_add_question,
        request.user,
        survey,
        text=form.cleaned_data["text"],
        kind=form.cleaned_data["kind"],
        choices=form.choice_list(),
    ):
        messages.success(request, _("Question added."))
        return redirect("feedback:round", access.coalition.pk, survey.pk)
    return render_form(request, "feedback/form_page.html", {"form": form, "title": _("Add a question")})


@require_POST
@coalition_view(RUN)
def round_open(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    survey = _round(access, round_id)
    if run_action_message(request, actions.do_open_round, request.user, survey):
        messages.success(request, _("The round is open; members were told."))
    return redirect("feedback:round", access.coalition.pk, survey.pk)


@require_POST
@coalition_view(RUN)
def round_close(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    survey = _round(access, round_id)
    if run_action_message(request, actions.do_close_round, request.user, survey):
        messages.success(request, _("The round is closed."))
    return redirect("feedback:round", access.coalition.pk, survey.pk)


@log_anonymously
@coalition_view(Perm.ANSWER_SURVEY)
def answer(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    survey = _round(access, round_id)
    if survey.status != RoundStatus.OPEN or queries.has_answered(access.membership, survey):
        return render(request, "feedback/answer_closed.html", {"survey": survey})
    form_class = answer_form_class(list(survey.questions.all()))
    form = form_class(request.POST or None)
    if submitted(request, form) and run_action(
        form, actions.do_answer_survey, access.membership, survey, form.cleaned_data
    ):
        messages.success(request, _("Thank you: your answers are in."))
        return redirect("feedback:surveys", access.coalition.pk)
    return _private(render_form(request, "feedback/answer.html", {"form": form, "survey": survey}))


def _grouping(request: HttpRequest) -> tuple[str, str]:
    grouping = request.GET.get("by", "")
    group = request.GET.get("group", "")[:40]
    return (grouping, group) if grouping in calc.GROUPINGS and group else ("", "")


@coalition_view(Perm.VIEW_SURVEY_RESULTS)
def results(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    survey = _round(access, round_id)
    grouping, group = _grouping(request)
    aggregate, question_views = queries.results(survey, grouping=grouping, group=group)
    return render(
        request,
        "feedback/results.html",
        {
            "survey": survey,
            "aggregate": aggregate,
            "questions": question_views,
            "grouping": grouping,
            "group": group,
            "subgroups": queries.subgroups(survey),
            "minimum": queries.minimum_for(access.coalition),
        },
    )


@coalition_view(Perm.VIEW_SURVEY_RESULTS)
def results_csv(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    survey = _round(access, round_id)
    grouping, group = _grouping(request)
    aggregate, question_views = queries.results(survey, grouping=grouping, group=group)
    rows: list[list[Any]] = []
    for view in question_views:
        if not view.result.shown:
            continue
        if view.result.mean is not None:
            rows.append([view.question.name, "mean", str(view.result.mean), view.result.count])
        rows += [[view.question.name, label, count, view.result.count] for label, count in view.rows]
    return csv_response(f"survey-{survey.pk}-results.csv", ["question", "answer", "value", "answers"], rows)


@coalition_view(RUN)
def xlsform(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    survey = _round(access, round_id)
    data = offline.workbook(survey)
    offline.validate(data)  # a round pyxform refuses is a bug: let it fail loudly
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="round-{survey.pk}-xlsform.xlsx"'
    return response


@coalition_view(RUN)
def import_answers(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    survey = _round(access, round_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if submitted(request, form):
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", _("The file is larger than 5 MB."))
        else:
            outcome = run_action(form, offline.do_import_responses, request.user, survey, upload.read())
            if outcome:
                report = outcome.value
                if report.errors:
                    form.add_error(None, _("Nothing was imported: some rows were refused."))
                else:
                    messages.success(
                        request,
                        _("%(new)s answers imported; %(old)s were already in.")
                        % {"new": len(report.rows), "old": report.already},
                    )
                    return redirect("feedback:round", access.coalition.pk, survey.pk)
    context = {
        "form": form,
        "survey": survey,
        "groups": group_errors(report.errors) if report is not None else [],
    }
    return render_form(request, "feedback/import.html", context)
