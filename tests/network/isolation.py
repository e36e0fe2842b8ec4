from tests.network.helpers import make_round

FACTORIES = {"round_id": lambda coalition: make_round(coalition, size=3).pk}
