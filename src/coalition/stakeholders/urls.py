from django.urls import path

from coalition.stakeholders import views

app_name = "stakeholders"
urlpatterns = [
    path("", views.stakeholder_list, name="list"),
    path("new/", views.create, name="create"),
    path("grid/", views.power_interest_grid, name="grid"),
    path("coverage/", views.coverage_summary, name="coverage"),
    path("import/", views.import_csv, name="import"),
    path("import/template.csv", views.import_template, name="import_template"),
    path("export.csv", views.export_csv, name="export"),
    path("<int:stakeholder_id>/", views.detail, name="detail"),
    path("<int:stakeholder_id>/edit/", views.edit, name="edit"),
    path("<int:stakeholder_id>/engagement/", views.change_engagement, name="engagement"),
    path("<int:stakeholder_id>/archive/", views.archive, name="archive"),
    path("<int:stakeholder_id>/restore/", views.restore, name="restore"),
    path("<int:stakeholder_id>/contacts/new/", views.contact_add, name="contact_add"),
    path("<int:stakeholder_id>/contacts/<int:contact_id>/edit/", views.contact_edit, name="contact_edit"),
    path("<int:stakeholder_id>/interviews/new/", views.interview_add, name="interview_add"),
]
