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
    path("sustainability/", views.sustainability, name="sustainability"),
    path("sustainability/decide/", views.sustainability_decide, name="sustainability_decide"),
    path("sustainability/items/new/", views.sustainability_item_new, name="sustainability_item_new"),
    path("sustainability/items/<int:item_id>/", views.sustainability_item, name="sustainability_item"),
    path(
        "sustainability/items/<int:item_id>/action/",
        views.sustainability_item_action,
        name="sustainability_item_action",
    ),
    path("sustainability/versions/<int:version_id>/", views.sustainability_version, name="sustainability_version"),
]
