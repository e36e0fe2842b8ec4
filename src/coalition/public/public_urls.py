"""The public page, reached by its address without an account; included at the root by coalition/urls.py."""

from django.urls import path

from coalition.public import public_views

app_name = "public_page"
urlpatterns = [
    path("p/<slug:slug>/", public_views.public_page, name="page"),
    path("p/<slug:slug>/feed.atom", public_views.public_feed, name="feed"),
]
