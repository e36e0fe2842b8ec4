"""Included by coalition/urls.py under ``c/<int:coalition_id>/funding/``: every route gets isolation tests."""

from django.urls import URLPattern

app_name = "funding"
urlpatterns: list[URLPattern] = []
