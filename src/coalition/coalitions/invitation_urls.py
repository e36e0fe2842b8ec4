"""Invitation pages: the coalition-scoped list under ``c/<coalition_id>/invitations/`` (namespace ``invitations``)
and the link a person follows, ``accounts/invite/<token>/``, kept in the ``accounts`` namespace by the root URLconf."""

from django.urls import URLPattern, path

from coalition.coalitions import invitation_views as views

app_name = "invitations"
urlpatterns = [
    path("", views.invitations, name="list"),
    path("<int:invitation_id>/revoke/", views.revoke_invitation, name="revoke"),
]

accept_urlpatterns: list[URLPattern] = [
    path("invite/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
