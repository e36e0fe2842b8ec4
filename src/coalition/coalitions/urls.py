from django.urls import path

from coalition.coalitions import views

app_name = "coalitions"
urlpatterns = [
    path("new/", views.create, name="create"),
    path("<int:coalition_id>/", views.overview, name="overview"),
    path("<int:coalition_id>/settings/", views.coalition_settings, name="settings"),
    path("<int:coalition_id>/members/", views.members, name="members"),
    path("<int:coalition_id>/members/export.csv", views.members_export, name="members_export"),
    path("<int:coalition_id>/members/former/", views.former_members, name="former_members"),
    path("<int:coalition_id>/members/<int:membership_id>/", views.member, name="member"),
    path("<int:coalition_id>/members/<int:membership_id>/roles/", views.member_roles, name="member_roles"),
    path("<int:coalition_id>/members/<int:membership_id>/details/", views.member_update, name="member_update"),
    path(
        "<int:coalition_id>/members/<int:membership_id>/deactivate/",
        views.member_deactivate,
        name="member_deactivate",
    ),
    path(
        "<int:coalition_id>/members/<int:membership_id>/reactivate/",
        views.member_reactivate,
        name="member_reactivate",
    ),
    path("<int:coalition_id>/groups/", views.working_groups, name="working_groups"),
    path("<int:coalition_id>/groups/new/", views.working_group_create, name="working_group_create"),
    path("<int:coalition_id>/groups/<int:group_id>/", views.working_group, name="working_group"),
    path("<int:coalition_id>/groups/<int:group_id>/edit/", views.working_group_edit, name="working_group_edit"),
    path("<int:coalition_id>/audit/", views.audit_log, name="audit"),
    path("<int:coalition_id>/audit/export.csv", views.audit_export, name="audit_export"),
]
