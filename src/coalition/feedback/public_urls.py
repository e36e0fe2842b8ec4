"""Routes reached without an account (a resident's feedback), included at the root by coalition/urls.py."""

from django.urls import include, path

from coalition.feedback import public_views

public_patterns = [
    path("track/", public_views.track, name="track"),
    path("<str:key>/", public_views.feedback_form, name="form"),
    path("<str:key>/you-said-we-did/", public_views.you_said_we_did, name="you_said_we_did"),
]

urlpatterns = [path("f/", include((public_patterns, "feedback_public")))]
