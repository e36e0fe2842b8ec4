"""Decided calls stored their selection rule as an English sentence; store its kind and parameters instead, so
the sentence is worded in each reader's language. A sentence this migration does not recognise is kept (it is
shown as stored)."""

from typing import Any

from django.db import migrations

SENTENCE = (
    "By member support within the budget: proposals in order of support (ties: mean review score, smaller "
    "request, earlier submission), each funded in full if it still fits, skipped if it no longer does"
)
PART_FUNDED = "; the first that no longer fits is part-funded with what is left"
# The sentences written before this migration, and the rule each one records.
KNOWN = {SENTENCE + ".": False, SENTENCE + PART_FUNDED + ".": True}


def _rule(part_funding: bool) -> dict[str, Any]:
    return {"kind": "support_within_budget", "part_funding": part_funding}


def to_data(apps: Any, schema_editor: Any) -> None:
    call_model = apps.get_model("funding", "Call")
    for call in call_model.objects.filter(result__isnull=False).only("pk", "result"):
        stored = call.result.get("rule")
        if isinstance(stored, str) and stored in KNOWN:
            call.result["rule"] = _rule(KNOWN[stored])
            call.save(update_fields=["result"])


def to_sentence(apps: Any, schema_editor: Any) -> None:
    call_model = apps.get_model("funding", "Call")
    for call in call_model.objects.filter(result__isnull=False).only("pk", "result"):
        stored = call.result.get("rule")
        if isinstance(stored, dict) and stored.get("kind") == "support_within_budget":
            call.result["rule"] = SENTENCE + (PART_FUNDED if stored.get("part_funding") else "") + "."
            call.save(update_fields=["result"])


class Migration(migrations.Migration):
    dependencies = [("funding", "0004_ledger_by_date_cover")]

    operations = [migrations.RunPython(to_data, to_sentence)]
