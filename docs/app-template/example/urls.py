"""Included by coalition/urls.py under ``c/<int:coalition_id>/example/``: every route gets isolation tests."""

from django.urls import path

from coalition.example import views

app_name = "example"
urlpatterns = [
    path("", views.note_list, name="list"),
    path("new/", views.note_new, name="new"),
    path("<int:note_id>/", views.note_edit, name="edit"),
]
