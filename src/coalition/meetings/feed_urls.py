"""The personal calendar feed, reached by its private address rather than inside a coalition session."""

from django.urls import path

from coalition.meetings import views

app_name = "meetings_feed"
urlpatterns = [path("meetings/feed/<str:token>.ics", views.calendar_feed, name="calendar")]
