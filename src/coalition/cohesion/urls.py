"""Included by coalition/urls.py under ``c/<int:coalition_id>/cohesion/``: every route gets isolation tests."""

from django.urls import URLPattern, path

from coalition.cohesion import views

app_name = "cohesion"
urlpatterns: list[URLPattern] = [
    path("", views.indicators, name="indicators"),
    path("records/", views.records_page, name="records"),
    path("health/", views.health, name="health"),
    path("health/<int:check_id>/", views.health_check, name="health_check"),
    path("health/<int:check_id>/close/", views.health_close, name="health_close"),
]
