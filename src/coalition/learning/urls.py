"""Included by coalition/urls.py under ``c/<int:coalition_id>/learning/``: every route gets isolation tests."""

from django.urls import URLPattern

app_name = "learning"
urlpatterns: list[URLPattern] = []
