from tests.planning import factories

FACTORIES = {
    "asset_id": lambda coalition: factories.make_asset(coalition).pk,
    "node_id": lambda coalition: factories.make_node(coalition).pk,
}
