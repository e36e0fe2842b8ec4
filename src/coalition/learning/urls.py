"""Included by coalition/urls.py under ``c/<int:coalition_id>/learning/``: every route gets isolation tests."""

from django.urls import path

from coalition.learning import views

app_name = "learning"
urlpatterns = [
    path("", views.pause_list, name="pauses"),
    path("settings/", views.learning_settings, name="settings"),
    path("pauses/new/", views.pause_new, name="pause_new"),
    path("pauses/<int:pause_id>/", views.pause_detail, name="pause"),
    path("pauses/<int:pause_id>/adapt/", views.adapt, name="adapt"),
    path("pauses/<int:pause_id>/brief.pdf", views.brief_pdf, name="brief"),
    path("pauses/<int:pause_id>/share/", views.brief_share, name="brief_share"),
    path("adaptations/", views.adaptation_log, name="log"),
    path("stories/", views.story_list, name="stories"),
    path("stories/new/", views.story_new, name="story_new"),
    path("stories/export/", views.story_export, name="story_export"),
    path("stories/domains/", views.domains, name="domains"),
    path("stories/<int:story_id>/", views.story_detail, name="story"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("outcomes/", views.outcome_list, name="outcomes"),
    path("outcomes/new/", views.outcome_new, name="outcome_new"),
    path("outcomes/export/", views.outcome_export, name="outcome_export"),
    path("outcomes/<int:outcome_id>/", views.outcome_edit, name="outcome"),
]
