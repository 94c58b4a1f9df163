"""A lesson N times the built-in one, for the benchmarks: every dimension, item, prompt and field repeated.

Copy 1 keeps the built-in ids; copy N adds ``_N`` to each id and to each reference to a dimension, so the
result is a valid lesson with N times the dimensions, quiz items, reflection prompts and plan fields.
"""

import json

import yaml

from leadmanage_xblock.core.content import builtin_lesson_text

#: The lists that grow, each with the keys that hold an id or name a dimension.
REPEATED = (
    (("dimensions",), ("id",)),
    (("balancing", "practices"), ("id",)),
    (("quiz", "scenarios"), ("id", "dimension")),
    (("quiz", "ratings", "items"), ("id", "dimension")),
    (("profile", "guidance"), ("dimension",)),
    (("reflection", "prompts"), ("id",)),
    (("action_plan", "fields"), ("id",)),
    (("facilitator", "discussion"), ("dimension",)),
)


def scaled_lesson_text(times: int) -> str:
    """The built-in English lesson with each of its lists ``times`` as long, as YAML."""
    data = yaml.safe_load(builtin_lesson_text("en"))
    for path, keys in REPEATED:
        *parents, name = path
        holder = data
        for parent in parents:
            holder = holder[parent]
        holder[name] = [_copy(entry, keys, copy) for copy in range(1, times + 1) for entry in holder[name]]
    plain = json.loads(json.dumps(data))  # each copy its own objects: YAML would write shared ones as aliases
    return yaml.safe_dump(plain, allow_unicode=True, sort_keys=False, width=120)


def _copy(entry: dict, keys: tuple[str, ...], copy: int) -> dict:
    if copy == 1:
        return entry
    return {**entry, **{key: f"{entry[key]}_{copy}" for key in keys}}
