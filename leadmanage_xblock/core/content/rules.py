"""The rules of a lesson file that JSON Schema cannot express: unique ids, references, one correct option, ranges.

They read the parsed data as it is (plain YAML values, checked against the schema or not), so every lookup
tolerates a missing or mistyped part: reporting those is the schema's job.
"""

from typing import Any

from .problems import YamlPath

#: A problem found in the data before it has a line: where it is, and what is wrong.
type PathProblem = tuple[YamlPath, str]

_SCENARIOS = ("quiz", "scenarios")
_RATINGS = ("quiz", "ratings", "items")
_GUIDANCE = ("profile", "guidance")
#: Lists whose entries' ids must differ (scenarios and ratings share theirs: see ``_unique_problems``).
_ID_LISTS = (("dimensions",), ("balancing", "practices"), ("reflection", "prompts"), ("action_plan", "fields"))
#: Lists whose entries may name a dimension, which the lesson must define.
_DIMENSION_REFERENCES = (
    _SCENARIOS,
    _RATINGS,
    _GUIDANCE,
    ("facilitator", "discussion"),
    ("facilitator", "debrief_prompts"),
)
#: What every dimension needs, and what a missing one is called.
_COVERAGE = ((_SCENARIOS, "scenario item"), (_RATINGS, "self-rating"), (_GUIDANCE, "profile guidance entry"))


def semantic_problems(data: dict[str, Any]) -> list[PathProblem]:
    """Rules JSON Schema cannot express: unique ids, references, one correct option, scale ranges."""
    dimension_ids = [d.get("id") for _, d in _items(data, "dimensions")]
    problems = _unique_problems(data)
    for index, scenario in _items(data, *_SCENARIOS):
        problems += _option_problems((*_SCENARIOS, index), scenario)
    problems += _reference_problems(data, dimension_ids)
    return problems + _coverage_problems(data, dimension_ids) + _range_problems(data)


def _unique_problems(data: dict[str, Any]) -> list[PathProblem]:
    """Ids repeated within a list or shared by a scenario and a rating, and dimensions given guidance twice."""
    problems = [problem for list_path in _ID_LISTS for problem in _duplicates(data, list_path, "id")]
    problems += _duplicates(data, _SCENARIOS, "id", _ids(data, _RATINGS))
    problems += _duplicates(data, _RATINGS, "id", _ids(data, _SCENARIOS))
    return problems + _duplicates(data, _GUIDANCE, "dimension")


def _reference_problems(data: dict[str, Any], dimension_ids: list[object]) -> list[PathProblem]:
    """Entries that name a dimension the lesson does not define."""
    problems: list[PathProblem] = []
    for list_path in _DIMENSION_REFERENCES:
        for index, entry in _items(data, *list_path):
            if "dimension" in entry and entry["dimension"] not in dimension_ids:
                message = _missing_dimension(entry["dimension"], dimension_ids)
                problems.append(((*list_path, index, "dimension"), message))
    return problems


def _option_problems(path: YamlPath, scenario: dict[str, Any]) -> list[PathProblem]:
    options = [option for _, option in _items(scenario, "options")]
    problems = _duplicates(scenario, ("options",), "id", prefix=path)
    correct = sum(1 for option in options if option.get("correct") is True)
    if options and correct != 1:
        problems.append(((*path, "options"), f"needs exactly one option with 'correct: true' (found {correct})"))
    return problems


def _coverage_problems(data: dict[str, Any], dimension_ids: list[object]) -> list[PathProblem]:
    """Every dimension needs scenario items, self-ratings and profile guidance."""
    problems: list[PathProblem] = []
    for index, dimension_id in enumerate(dimension_ids):
        for list_path, what in _COVERAGE:
            if not any(entry.get("dimension") == dimension_id for _, entry in _items(data, *list_path)):
                problems.append((("dimensions", index), f"dimension {dimension_id!r} has no {what}"))
    return problems


def _range_problems(data: dict[str, Any]) -> list[PathProblem]:
    problems: list[PathProblem] = []
    points = _get(data, "quiz", "ratings", "scale", "points")
    if isinstance(points, int) and not isinstance(points, bool) and (points not in (3, 5, 7)):
        problems.append(
            (("quiz", "ratings", "scale", "points"), f"scale of {points} points is out of range: use 3, 5 or 7")
        )
    within = _get(data, "profile", "balanced_within")
    if isinstance(within, int | float) and not isinstance(within, bool) and not 0 < within < 1:
        problems.append(
            (("profile", "balanced_within"), f"{within} is out of range: must be more than 0 and less than 1")
        )
    return problems


def _missing_dimension(name: object, dimension_ids: list[object]) -> str:
    known = ", ".join(str(d) for d in dimension_ids if d)
    return f"names dimension {name!r}, which the lesson does not define (dimensions: {known})"


def _duplicates(
    data: dict[str, Any],
    list_path: tuple[str, ...],
    key: str,
    others: frozenset[str] = frozenset(),
    prefix: YamlPath = (),
) -> list[PathProblem]:
    problems: list[PathProblem] = []
    seen = set(others)
    for index, entry in _items(data, *list_path):
        value = entry.get(key)
        if not isinstance(value, str):
            continue  # a wrong type is the schema's to report
        if value in seen:
            problems.append(((*prefix, *list_path, index, key), f"duplicate {key} {value!r}"))
        seen.add(value)
    return problems


def _ids(data: dict[str, Any], list_path: tuple[str, ...]) -> frozenset[str]:
    ids = (entry.get("id") for _, entry in _items(data, *list_path))
    return frozenset(value for value in ids if isinstance(value, str))


def _get(data: Any, *path: str) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _items(data: Any, *path: str) -> list[tuple[int, dict[str, Any]]]:
    value = _get(data, *path)
    if not isinstance(value, list):
        return []
    return [(index, entry) for index, entry in enumerate(value) if isinstance(entry, dict)]
