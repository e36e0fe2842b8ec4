"""Included by coalition/urls.py under ``c/<int:coalition_id>/funding/``: every route gets isolation tests."""

from django.urls import path

from coalition.funding import views

app_name = "funding"
urlpatterns = [
    path("", views.fund, name="fund"),
    path("funds/new/", views.fund_new, name="fund_new"),
    path("ledger/", views.ledger_list, name="ledger"),
    path("ledger/new/", views.entry_new, name="entry_new"),
    path("ledger/convert/", views.conversion_new, name="conversion_new"),
    path("ledger/<int:entry_id>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("statement/", views.statement, name="statement"),
    path("statement.csv", views.statement_csv, name="statement_csv"),
    path("statement.pdf", views.statement_pdf, name="statement_pdf"),
    path("resources/", views.resources, name="resources"),
    path("resources/<int:resource_id>/withdraw/", views.resource_withdraw, name="resource_withdraw"),
    path("calls/", views.call_list, name="calls"),
    path("calls/new/", views.call_new, name="call_new"),
    path("calls/<int:call_id>/", views.call_detail, name="call"),
    path("calls/<int:call_id>/advance/", views.call_advance, name="call_advance"),
    path("calls/<int:call_id>/reviewers/", views.reviewer_add, name="reviewer_add"),
    path("calls/<int:call_id>/decide/", views.call_decide, name="call_decide"),
    path("calls/<int:call_id>/propose/", views.proposal_new, name="proposal_new"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:proposal_id>/review/", views.proposal_review, name="proposal_review"),
    path("proposals/<int:proposal_id>/conflict/", views.proposal_conflict, name="proposal_conflict"),
    path("awards/<int:award_id>/", views.award_detail, name="award"),
    path("awards/<int:award_id>/instalments/", views.instalment_new, name="instalment_new"),
    path("awards/<int:award_id>/milestones/", views.milestone_new, name="milestone_new"),
    path("instalments/<int:instalment_id>/disburse/", views.disburse, name="disburse"),
]
