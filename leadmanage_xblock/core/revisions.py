"""Writes that never lose what another tab or device saved.

A learner may have the module open twice. Each field (a reflection prompt, a plan field, a quiz choice)
counts its writes; a page sends only the fields the learner changed, with the count it last saw for each.
A write based on an older count, whose text differs from what is stored now, would erase something this
page never showed: it is refused and both versions go back to the page, which lets the learner choose.
Pure functions over plain dicts; the handlers store what they return.
"""

from collections.abc import Iterable, Mapping


def field_key(kind: str, item_id: str) -> str:
    """The revision key of one field, e.g. ``reflection:roles_today`` or ``answers:goals_s1``."""
    return f"{kind}:{item_id}"


def conflicts[V](
    kind: str, values: Mapping[str, V], seen: Mapping[str, int], stored: Mapping[str, V], revisions: Mapping[str, int]
) -> list[dict[str, object]]:
    """The fields of ``values`` that changed elsewhere since the page saw them, with what is stored now.

    Each conflict is ``{kind, id, value, revision}``: the stored value and its revision, for the page to show.
    """
    found: list[dict[str, object]] = []
    for item_id, value in values.items():
        key = field_key(kind, item_id)
        current = revisions.get(key, 0)
        if seen.get(key, 0) != current and stored.get(item_id) != value:
            found.append({"kind": kind, "id": item_id, "value": stored.get(item_id), "revision": current})
    return found


def written[V](
    kind: str, values: Mapping[str, V], stored: Mapping[str, V], revisions: Mapping[str, int]
) -> tuple[dict[str, V], dict[str, int]]:
    """``stored`` with ``values`` written over it, and the revisions with each field that changed counted once more."""
    changed = [item_id for item_id, value in values.items() if stored.get(item_id) != value]
    counted = {field_key(kind, item_id): revisions.get(field_key(kind, item_id), 0) + 1 for item_id in changed}
    return {**stored, **values}, {**revisions, **counted}


def seen_now(kind: str, item_ids: Iterable[str], revisions: Mapping[str, int]) -> dict[str, int]:
    """The revisions of ``item_ids`` (of ``kind``) after a write, for the page to base its next write on."""
    return {field_key(kind, item_id): revisions.get(field_key(kind, item_id), 0) for item_id in item_ids}
