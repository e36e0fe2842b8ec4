from django.urls import path

from coalition.api import token_views

app_name = "tokens"
urlpatterns = [
    path("", token_views.tokens, name="list"),
    path("<int:token_id>/revoke/", token_views.revoke, name="revoke"),
]
