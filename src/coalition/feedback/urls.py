"""Included by coalition/urls.py under ``c/<int:coalition_id>/feedback/``: every route gets isolation tests."""

from django.urls import path

from coalition.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("give/", views.give, name="give"),
    path("record/", views.record, name="record"),
    path("figures/", views.figures, name="figures"),
    path("settings/", views.listening_settings, name="settings"),
    path("<int:feedback_id>/", views.item, name="item"),
    path("<int:feedback_id>/triage/", views.triage, name="triage"),
    path("<int:feedback_id>/answer/", views.answer_item, name="answer_item"),
    path("<int:feedback_id>/close/", views.close, name="close"),
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/new/", views.round_new, name="round_new"),
    path("surveys/<int:round_id>/", views.round_detail, name="round"),
    path("surveys/<int:round_id>/questions/new/", views.question_new, name="question_new"),
    path("surveys/<int:round_id>/open/", views.round_open, name="round_open"),
    path("surveys/<int:round_id>/close/", views.round_close, name="round_close"),
    path("surveys/<int:round_id>/answer/", views.answer, name="answer"),
    path("surveys/<int:round_id>/results/", views.results, name="results"),
    path("surveys/<int:round_id>/results.csv", views.results_csv, name="results_csv"),
    path("surveys/<int:round_id>/xlsform.xlsx", views.xlsform, name="xlsform"),
    path("surveys/<int:round_id>/import/", views.import_answers, name="import"),
]
