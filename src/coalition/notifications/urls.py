from django.urls import path

from coalition.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.recent, name="recent"),
    path("choices/", views.choices, name="choices"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
