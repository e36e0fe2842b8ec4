"""Included by coalition/urls.py under ``c/<int:coalition_id>/public/``: every route gets isolation tests."""

from django.urls import URLPattern

app_name = "public"
urlpatterns: list[URLPattern] = []
