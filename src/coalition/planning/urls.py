from django.urls import path

from coalition.planning import views

app_name = "planning"
urlpatterns = [
    path("assessment/", views.assessment, name="assessment"),
    path("assessment/edit/", views.assessment_edit, name="assessment_edit"),
    path("assets/add/", views.asset_add, name="asset_add"),
    path("assets/<int:asset_id>/", views.asset_edit, name="asset_edit"),
    path("assets/<int:asset_id>/archive/", views.asset_archive, name="asset_archive"),
    path("problem-tree/", views.problem_tree, name="problem_tree"),
    path("problem-tree/core/", views.problem_core, name="problem_core"),
    path("problem-tree/nodes/add/", views.problem_node_add, name="problem_node_add"),
    path("problem-tree/nodes/<int:node_id>/", views.problem_node, name="problem_node"),
    path("problem-tree/nodes/<int:node_id>/move/", views.problem_node_move, name="problem_node_move"),
    path("problem-tree/nodes/<int:node_id>/merge/", views.problem_node_merge, name="problem_node_merge"),
    path("problem-tree/nodes/<int:node_id>/remove/", views.problem_node_remove, name="problem_node_remove"),
    path("priorities/", views.priorities, name="priorities"),
    path("priorities/propose/", views.priority_propose, name="priority_propose"),
    path("priorities/<int:priority_id>/decide/", views.priority_decide, name="priority_decide"),
    path("votes/open/", views.vote_open, name="vote_open"),
    path("votes/<int:vote_id>/", views.vote, name="vote"),
    path("votes/<int:vote_id>/close/", views.vote_close, name="vote_close"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/draft/", views.agenda_edit, name="agenda_edit"),
    path("agenda/draft/publish/", views.agenda_publish, name="agenda_publish"),
    path("agenda/versions/<int:version_id>/", views.agenda_version, name="agenda_version"),
    path("agenda/versions/<int:version_id>/sign/", views.agenda_sign, name="agenda_sign"),
    path("brief/", views.brief, name="brief"),
    path("brief.pdf", views.brief_pdf, name="brief_pdf"),
]
