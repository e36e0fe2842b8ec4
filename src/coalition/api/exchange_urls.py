from django.urls import path

from coalition.api import exchange_views

app_name = "exchange"
urlpatterns = [
    path("dhis2/", exchange_views.mapping, name="dhis2"),
    path("dhis2/export/", exchange_views.export, name="dhis2_export"),
    path("dhis2/import/", exchange_views.upload, name="dhis2_import"),
]
