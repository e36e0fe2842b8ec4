from tests.decisions import builders

FACTORIES = {
    "poll_id": lambda coalition: builders.poll(coalition).pk,
}

# Bodies the hub's POST would have saved: a refused POST of these changes nothing (tests/test_authorization_matrix.py).
POST_DATA = {
    "decisions:poll": lambda coalition: {"answer": "consent"},
    "decisions:recuse": lambda coalition: {"reason": "I chair the applicant"},
    "decisions:settings": lambda coalition: {"facilitator_may_vote": "on"},
    "decisions:poll_new": lambda coalition: {
        "title": "Sneaky",
        "kind": "consent",
        "electorate": "people",
        "quorum_percent": "0",
        "majority_rule": "simple",
        "max_choices": "1",
        "seats": "1",
        "budget": "10",
        "opens_at": "2026-01-01T10:00",
        "closes_at": "2030-01-01T10:00",
        "reasons": "optional",
    },
}
