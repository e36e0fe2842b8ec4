"""Isolation factories for every object keyword in planning's URLs (see tests/test_isolation.py)."""

from tests.planning import factories

FACTORIES = {
    "asset_id": lambda coalition: factories.make_asset(coalition).pk,
    "node_id": lambda coalition: factories.make_node(coalition).pk,
    "priority_id": lambda coalition: factories.make_priority(coalition).pk,
    "vote_id": lambda coalition: factories.make_vote(coalition).pk,
    "version_id": lambda coalition: factories.make_published_agenda(coalition).pk,
}
