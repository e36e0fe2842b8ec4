"""Included by coalition/urls.py under ``c/<int:coalition_id>/public/``: every route gets isolation tests."""

from django.urls import path

from coalition.public import views

app_name = "public"
urlpatterns = [
    path("", views.page_settings, name="settings"),
    path("publish/", views.page_publish, name="publish"),
    path("listing/", views.listing, name="listing"),
]
