"""Root URLs. Coalition-scoped apps live under ``c/<coalition_id>/<app>/``."""

from django.urls import include, path, re_path

from coalition.api.views import api
from coalition.core.middleware import api_not_found

urlpatterns = [
    path("", include("coalition.core.urls")),
    path("accounts/", include("coalition.accounts.urls")),
    path("notifications/", include("coalition.notifications.urls")),
    path("c/", include("coalition.coalitions.urls")),
    path("c/<int:coalition_id>/invitations/", include("coalition.accounts.invitation_urls")),
    path("c/<int:coalition_id>/stakeholders/", include("coalition.stakeholders.urls")),
    path("c/<int:coalition_id>/measurement/", include("coalition.measurement.urls")),
    path("c/<int:coalition_id>/network/", include("coalition.network.urls")),
    path("c/<int:coalition_id>/planning/", include("coalition.planning.urls")),
    path("c/<int:coalition_id>/action/", include("coalition.joint_action.urls")),
    path("", include("coalition.network.public_urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),
]
