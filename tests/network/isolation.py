from tests.network.helpers import make_round

_ROUND = lambda coalition: make_round(coalition, size=3).pk  # noqa: E731

# ``network_round_id`` names a network round in the API, where ``round_id`` also names survey and learning rounds.
FACTORIES = {"round_id": _ROUND, "network_round_id": _ROUND}
