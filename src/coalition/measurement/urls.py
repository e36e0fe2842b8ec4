from django.urls import path

from coalition.measurement.views import dashboard, entry, imports, indicators, late

app_name = "measurement"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("export/scorecard/", dashboard.export_scorecard, name="export_scorecard"),
    path("indicators/", indicators.indicator_list, name="indicators"),
    path("indicators/new/", indicators.indicator_create, name="indicator_create"),
    path("indicators/<int:indicator_id>/", indicators.indicator_detail, name="indicator"),
    path("indicators/<int:indicator_id>/edit/", indicators.indicator_edit, name="indicator_edit"),
    path("indicators/<int:indicator_id>/targets/", indicators.indicator_targets, name="indicator_targets"),
    path("indicators/<int:indicator_id>/archive/", indicators.indicator_archive, name="indicator_archive"),
    path(
        "indicators/<int:indicator_id>/export/<slug:table>/",
        dashboard.export_indicator_table,
        name="export_indicator_table",
    ),
    path("categories/", indicators.category_list, name="categories"),
    path("categories/<int:category_id>/", indicators.category_edit, name="category"),
    path("options/<int:option_id>/", indicators.option_edit, name="option"),
    path("entry/", entry.entry_home, name="entry"),
    path("entry/<int:indicator_id>/<str:period>/", entry.entry_grid, name="entry_grid"),
    path("import/", imports.import_upload, name="import"),
    path("import/confirm/", imports.import_confirm, name="import_confirm"),
    path("indicators/<int:indicator_id>/template/", imports.import_template, name="import_template"),
    path("review/", entry.review_queue, name="review"),
    path("late/", late.late_reports, name="late"),
    path("review/<int:submission_id>/", entry.review_decide, name="review_decide"),
]
