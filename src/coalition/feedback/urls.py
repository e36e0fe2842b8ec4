"""Included by coalition/urls.py under ``c/<int:coalition_id>/feedback/``: every route gets isolation tests."""

from django.urls import URLPattern

app_name = "feedback"
urlpatterns: list[URLPattern] = []
