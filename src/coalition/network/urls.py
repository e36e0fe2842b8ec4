from django.urls import path

from coalition.network import views

app_name = "network"
urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("new/", views.round_create, name="round_create"),
    path("compare/", views.compare, name="compare"),
    path("<int:round_id>/", views.round_metrics, name="metrics"),
    path("<int:round_id>/diagram/", views.round_diagram, name="diagram"),
    path("<int:round_id>/respondents/", views.respondents, name="respondents"),
    path("<int:round_id>/respondents/links/", views.issue_links, name="issue_links"),
    path("<int:round_id>/actors/add/", views.add_actors, name="add_actors"),
    path("<int:round_id>/settings/", views.round_settings, name="round_settings"),
    path("<int:round_id>/status/", views.round_status, name="round_status"),
    path("<int:round_id>/answers/", views.answers, name="answers"),
    path("<int:round_id>/export/actors.csv", views.export_actors, name="export_actors"),
    path("<int:round_id>/export/ties.csv", views.export_ties, name="export_ties"),
]
