"""Root URLs. Coalition-scoped apps live under ``c/<coalition_id>/<app>/``."""

from django.urls import include, path, re_path

from coalition.accounts import urls as accounts_urls
from coalition.accounts import views as account_views
from coalition.api.views import api
from coalition.coalitions import home_views, invitation_urls
from coalition.core import urls as core_urls
from coalition.core.middleware import api_not_found

urlpatterns = [
    # Pages of a higher app that keep their names in a lower app's namespace (core:home, accounts:accept_invitation):
    # the lower app cannot import them (see docs/code-style.md, "Layers").
    path("", include(([*core_urls.urlpatterns, *home_views.urlpatterns], "core"))),
    # The header's language switcher posts here (no JavaScript needed): Django's set_language, which also records
    # the choice of someone signed in.
    path("i18n/setlang/", account_views.switch_language, name="set_language"),
    path("accounts/", include(([*accounts_urls.urlpatterns, *invitation_urls.accept_urlpatterns], "accounts"))),
    path("notifications/", include("coalition.notifications.urls")),
    path("c/", include("coalition.coalitions.urls")),
    path("c/<int:coalition_id>/invitations/", include("coalition.coalitions.invitation_urls")),
    path("c/<int:coalition_id>/stakeholders/", include("coalition.stakeholders.urls")),
    path("c/<int:coalition_id>/measurement/", include("coalition.measurement.urls")),
    path("c/<int:coalition_id>/network/", include("coalition.network.urls")),
    path("c/<int:coalition_id>/planning/", include("coalition.planning.urls")),
    path("c/<int:coalition_id>/action/", include("coalition.joint_action.urls")),
    path("c/<int:coalition_id>/meetings/", include("coalition.meetings.urls")),
    path("c/<int:coalition_id>/decisions/", include("coalition.decisions.urls")),
    path("c/<int:coalition_id>/feedback/", include("coalition.feedback.urls")),
    path("c/<int:coalition_id>/learning/", include("coalition.learning.urls")),
    path("c/<int:coalition_id>/funding/", include("coalition.funding.urls")),
    path("c/<int:coalition_id>/cohesion/", include("coalition.cohesion.urls")),
    path("c/<int:coalition_id>/public/", include("coalition.public.urls")),
    path("c/<int:coalition_id>/exchange/", include("coalition.api.exchange_urls")),
    path("", include("coalition.network.public_urls")),
    path("", include("coalition.feedback.public_urls")),
    path("", include("coalition.meetings.feed_urls")),
    path("", include("coalition.learning.public_urls")),
    path("", include("coalition.public.public_urls")),
    path("account/tokens/", include("coalition.api.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),
]
