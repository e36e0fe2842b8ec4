"""Coalition-scoped invitation pages, under ``c/<coalition_id>/invitations/``."""

from django.urls import path

from coalition.accounts import views

app_name = "invitations"
urlpatterns = [
    path("", views.invitations, name="list"),
    path("<int:invitation_id>/revoke/", views.revoke_invitation, name="revoke"),
]
