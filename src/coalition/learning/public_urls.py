"""The learning brief by its revocable link, reached without a coalition session."""

from django.urls import path

from coalition.learning import views

app_name = "learning_brief"
urlpatterns = [path("learning/brief/<str:token>.pdf", views.shared_brief, name="brief")]
