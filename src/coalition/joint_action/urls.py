from django.urls import path

from coalition.joint_action import views

app_name = "joint_action"
urlpatterns = [
    path("", views.plans, name="plans"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:plan_id>/objectives/new/", views.objective_new, name="objective_new"),
    path("plans/<int:plan_id>/actions/new/", views.action_new, name="action_new"),
    path("objectives/<int:objective_id>/edit/", views.objective_edit, name="objective_edit"),
    path("actions/<int:action_id>/", views.action_detail, name="action"),
    path("actions/<int:action_id>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:action_id>/commit/", views.contribution_set, name="contribution_set"),
    path("commitments/<int:contribution_id>/remove/", views.contribution_remove, name="contribution_remove"),
    path("commitments/", views.commitments, name="commitments"),
    path("members/<int:member_id>/commitments/", views.member_commitments, name="member_commitments"),
    path("activity-types/", views.activity_types, name="activity_types"),
    path("activities/", views.activities, name="activities"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/<int:activity_id>/", views.activity_detail, name="activity"),
    path("activities/<int:activity_id>/edit/", views.activity_edit, name="activity_edit"),
    path("who-does-what-where/", views.who_what_where, name="who_what_where"),
    path("workplan/", views.workplan, name="workplan"),
    path("workplan/start/", views.workplan_start, name="workplan_start"),
    path("workplan/tasks/new/", views.task_new, name="task_new"),
    path("workplan/tasks/<int:task_id>/edit/", views.task_edit, name="task_edit"),
    path("workplan/tasks/<int:task_id>/tick/", views.task_tick, name="task_tick"),
]
