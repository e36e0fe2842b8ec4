"""Routes reached by a personal link rather than inside a coalition (survey respondents)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
