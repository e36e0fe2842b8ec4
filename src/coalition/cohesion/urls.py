"""Included by coalition/urls.py under ``c/<int:coalition_id>/cohesion/``: every route gets isolation tests."""

from django.urls import URLPattern, path

from coalition.cohesion import views

app_name = "cohesion"
urlpatterns: list[URLPattern] = [
    path("", views.indicators, name="indicators"),
    path("records/", views.records_page, name="records"),
]
