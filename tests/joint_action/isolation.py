from tests.joint_action import builders

FACTORIES = {
    "plan_id": lambda coalition: builders.plan(coalition).pk,
    "objective_id": lambda coalition: builders.objective(coalition).pk,
    "action_id": lambda coalition: builders.action(coalition).pk,
    "contribution_id": lambda coalition: builders.contribution(coalition).pk,
    "member_id": lambda coalition: builders.member_org(coalition).pk,
    "activity_id": lambda coalition: builders.member_activity(coalition).pk,
    "task_id": lambda coalition: builders.workplan_task(coalition).pk,
}
