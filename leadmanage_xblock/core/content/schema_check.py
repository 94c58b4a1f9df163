"""Check lesson data against the lesson schema: the keywords that schema uses, and nothing more.

Why not jsonschema: importing it and compiling the schema cost a new LMS worker's first view of an author's
lesson about 90 ms and 3 MiB, for the dozen keywords one fixed schema uses. The schema file stays the one
place that says what a lesson may hold; ``tests/test_schema_check.py`` compares this check with jsonschema's
on every invalid lesson the tests know, so the two cannot drift apart.
"""

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

#: The Python types each JSON Schema type name admits (``bool`` is an ``int`` in Python, not in JSON).
_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "string": lambda value: isinstance(value, str),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
    # As jsonschema: 2.0 is an integer. Never float(value): YAML reads 10**400, which no float holds.
    "integer": lambda value: (
        (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, float) and value.is_integer())
    ),
}


@dataclass(frozen=True)
class SchemaError:
    """One keyword that ``instance`` fails, named as jsonschema names it, so one describer words both."""

    absolute_path: tuple[str | int, ...]
    validator: str
    validator_value: Any
    instance: Any
    schema: Mapping[str, Any]
    message: str = "does not match the lesson schema"


def schema_errors(data: Any, schema: Mapping[str, Any]) -> Iterator[SchemaError]:
    """Every keyword of ``schema`` (and of the schemas it refers to) that ``data`` fails."""
    return _errors(data, schema, (), schema)


def _errors(
    value: Any, schema: Mapping[str, Any], path: tuple[str | int, ...], root: Mapping[str, Any]
) -> Iterator[SchemaError]:
    for keyword, expected in schema.items():
        if keyword == "$ref":
            yield from _errors(value, _resolve(root, expected), path, root)
        elif keyword == "properties" and isinstance(value, dict):
            for name, child in expected.items():
                if name in value:
                    yield from _errors(value[name], child, (*path, name), root)
        elif keyword == "items" and isinstance(value, list):
            for index, item in enumerate(value):
                yield from _errors(item, expected, (*path, index), root)
        elif keyword in _CHECKS and not _CHECKS[keyword](value, expected, schema):
            yield SchemaError(path, keyword, expected, value, schema)


def _resolve(root: Mapping[str, Any], reference: str) -> Mapping[str, Any]:
    """The schema a local ``#/$defs/name`` reference points to (the lesson schema has no other kind)."""
    target: Mapping[str, Any] = root
    for part in reference.removeprefix("#/").split("/"):
        target = target[part]
    return target


def _additional(value: Any, allowed: bool, schema: Mapping[str, Any]) -> bool:
    return allowed or not isinstance(value, dict) or set(value) <= set(schema.get("properties", {}))


@cache
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


# Each keyword passes a value of another type, as JSON Schema says: minLength says nothing about a list.
_CHECKS: dict[str, Callable[[Any, Any, Mapping[str, Any]], bool]] = {
    "type": lambda value, name, _: _TYPES[name](value),
    "required": lambda value, names, _: not isinstance(value, dict) or all(name in value for name in names),
    "additionalProperties": _additional,
    "minItems": lambda value, least, _: not isinstance(value, list) or len(value) >= least,
    "maxItems": lambda value, most, _: not isinstance(value, list) or len(value) <= most,
    "minLength": lambda value, least, _: not isinstance(value, str) or len(value) >= least,
    "maxLength": lambda value, most, _: not isinstance(value, str) or len(value) <= most,
    "pattern": lambda value, text, _: not isinstance(value, str) or _pattern(text).search(value) is not None,
    "minimum": lambda value, least, _: not _TYPES["number"](value) or value >= least,
    "maximum": lambda value, most, _: not _TYPES["number"](value) or value <= most,
    "enum": lambda value, choices, _: value in choices,
    "const": lambda value, constant, _: value == constant,
}

#: Keywords that only name or describe, and those the walk itself handles.
_NOT_CHECKS = {"$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples"}
KNOWN_KEYWORDS = frozenset(_CHECKS) | _NOT_CHECKS | {"$ref", "properties", "items"}
