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

# Bodies the hub's POST would have saved: a refused POST of these changes nothing (tests/test_authorization_matrix.py).
POST_DATA = {
    "joint_action:plan_new": lambda coalition: {"title": "Sneaky"},
    "joint_action:workplan_start": lambda coalition: {"starts_on": builders.TODAY.isoformat()},
    "joint_action:task_tick": lambda coalition: {"done": "1"},
    "joint_action:task_edit": lambda coalition: {"title": "x"},
}
