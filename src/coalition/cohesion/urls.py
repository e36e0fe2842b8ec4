"""Included by coalition/urls.py under ``c/<int:coalition_id>/cohesion/``: every route gets isolation tests."""

from django.urls import URLPattern

app_name = "cohesion"
urlpatterns: list[URLPattern] = []
