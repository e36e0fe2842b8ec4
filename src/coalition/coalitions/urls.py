from django.urls import path

from coalition.coalitions import views

app_name = "coalitions"
urlpatterns = [
    path("new/", views.create, name="create"),
    path("<int:coalition_id>/", views.overview, name="overview"),
]
