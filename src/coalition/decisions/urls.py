"""Included by coalition/urls.py under ``c/<int:coalition_id>/decisions/``."""

from django.urls import path

from coalition.decisions import views

app_name = "decisions"
urlpatterns = [
    path("", views.poll_list, name="polls"),
    path("new/", views.poll_new, name="poll_new"),
    path("settings/", views.decision_settings, name="settings"),
    path("log/", views.decision_log, name="log"),
    path("log/export/", views.decision_log_export, name="log_export"),
    path("<int:poll_id>/", views.poll_detail, name="poll"),
    path("<int:poll_id>/recuse/", views.poll_recuse, name="recuse"),
    path("<int:poll_id>/close/", views.poll_close, name="close"),
    path("<int:poll_id>/outcome/", views.poll_outcome, name="outcome"),
]
