from django.urls import path

from coalition.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("c/<int:coalition_id>/stage/<slug:stage>/", views.stage, name="stage"),
]
