"""Included by coalition/urls.py under ``c/<int:coalition_id>/meetings/``: every route gets isolation tests."""

from django.urls import path

from coalition.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("series/new/", views.series_new, name="series_new"),
    path("series/<int:series_id>/edit/", views.series_edit, name="series_edit"),
    path("new/", views.meeting_new, name="meeting_new"),
    path("<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:meeting_id>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("<int:meeting_id>/propose/", views.item_new, name="item_new"),
    path("<int:meeting_id>/publish/", views.publish, name="publish"),
    path("<int:meeting_id>/attendance/", views.attendance, name="attendance"),
    path("<int:meeting_id>/decisions/new/", views.decision_new, name="decision_new"),
    path("<int:meeting_id>/action-items/new/", views.action_item_new, name="action_item_new"),
    path("<int:meeting_id>/approve/", views.approve_minutes, name="approve_minutes"),
    path("<int:meeting_id>/attendance.csv", views.attendance_csv, name="attendance_csv"),
    path("<int:meeting_id>/minutes.csv", views.minutes_csv, name="minutes_csv"),
    path("<int:meeting_id>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("items/<int:item_id>/triage/", views.item_triage, name="item_triage"),
    path("items/<int:item_id>/minutes/", views.item_minutes, name="item_minutes"),
    path("papers/<int:paper_id>/", views.paper, name="paper"),
    path("calendar/", views.my_calendar, name="calendar"),
    path("figures/", views.figures, name="figures"),
]
