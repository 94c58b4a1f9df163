"""Read a lesson YAML file, check it against the schema, and build the content model.

Every problem in a file is collected first and reported together, each as
``FILE:LINE: path.to.field: message``, so an author can fix them all in one go.
"""

import datetime
import difflib
import json
import stat
from dataclasses import fields, is_dataclass
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

from jsonschema import Draft202012Validator

from .model import Lesson
from .yaml_source import Problem, read_yaml

SUPPORTED_SCHEMA_VERSION = 1
BUILTIN_LESSON_ID = "leading_vs_managing"
#: The largest lesson read, in bytes of UTF-8: the built-in lesson is about 45 KB, so 1 MB leaves room for
#: any real lesson while a pasted or mistaken 50 MB file is refused before it is parsed.
MAX_LESSON_BYTES = 1024 * 1024
#: The most problems listed: past that, a list is no longer read (a pasted binary gives thousands).
MAX_PROBLEMS = 200
_TOO_LARGE = Problem(1, "", "the lesson is larger than 1 MB, the most LeadManage reads")
_PACKAGE = files(__package__)
#: What each kind of file that is not a regular file is called in messages.
_NOT_REGULAR = {stat.S_ISDIR: "a folder", stat.S_ISFIFO: "a named pipe", stat.S_ISSOCK: "a socket"}


class ContentError(ValueError):
    """A lesson file has problems; ``problems`` lists every one of them, formatted.

    ``found`` holds the same problems as ``Problem`` objects (line, path, message) when the text was
    parsed, for callers that show them their own way (the Studio editor links each to its line).
    """

    def __init__(self, problems: list[str], found: tuple[Problem, ...] = ()):
        self.problems = problems
        self.found = found
        super().__init__("\n".join(problems))


@cache
def lesson_schema() -> dict[str, Any]:
    """The JSON Schema of lesson files, as shipped in the package."""
    return json.loads(_PACKAGE.joinpath("lesson.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def builtin_lesson_text(language: str = "en") -> str:
    """The YAML text of the built-in lesson in ``language`` (English when there is no translation), read once."""
    lessons = _PACKAGE.joinpath("lessons")
    translated = lessons.joinpath(f"{BUILTIN_LESSON_ID}.{language}.yaml")
    chosen = translated if language != "en" and translated.is_file() else lessons.joinpath(f"{BUILTIN_LESSON_ID}.yaml")
    return chosen.read_text(encoding="utf-8")


@lru_cache(maxsize=8)
def load_builtin_lesson(language: str = "en") -> Lesson:
    """The built-in lesson, parsed once per process."""
    return parse_lesson(builtin_lesson_text(language), f"{BUILTIN_LESSON_ID}.yaml")


def load_lesson(path: str | Path) -> Lesson:
    """Load and validate the lesson file at ``path``.

    Raises:
        ContentError: the file cannot be read, or it has problems (all of them are listed).
    """
    content = _file_bytes(Path(path))
    if len(content) > MAX_LESSON_BYTES:
        raise _content_error([_TOO_LARGE], str(path))
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content.count(b"\n", 0, exc.start) + 1
        message = f"the file is not UTF-8 text (byte 0x{content[exc.start]:02X} on this line): save it as UTF-8"
        raise _content_error([Problem(line, "", message)], str(path)) from exc
    return parse_lesson(text, str(path))


def _file_bytes(path: Path) -> bytes:
    """The bytes of the regular file at ``path``, at most one more than ``MAX_LESSON_BYTES``.

    Anything else is refused before it is opened: reading a device never ends and opening a pipe waits.
    """
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _NOT_REGULAR.items() if test(mode)), "a device")
            raise ContentError([f"{path}: is {kind}, not a lesson file: give the path of a YAML file"])
        with path.open("rb") as file:
            return file.read(MAX_LESSON_BYTES + 1)
    except OSError as exc:
        raise ContentError([f"{path}: cannot read the file: {exc.strerror or exc}"]) from exc


@lru_cache(maxsize=32)
def parse_lesson(text: str, source: str = "<lesson>") -> Lesson:
    """Validate lesson YAML ``text`` and build the model; ``source`` names it in messages.

    Raises:
        ContentError: with every problem found, sorted by line.
    """
    # len() first: a character is at least one byte, so a huge text is refused without encoding it.
    if len(text) > MAX_LESSON_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_LESSON_BYTES:
        raise _content_error([_TOO_LARGE], source)
    data, problems = _read(text)
    if problems:
        raise _content_error(problems, source)
    return _build(Lesson, data)


def _content_error(problems: list[Problem], source: str) -> ContentError:
    """Every problem once, by line; past ``MAX_PROBLEMS``, one last problem says how many more there are."""
    found = sorted(set(problems), key=lambda problem: (problem.line, problem.path, problem.message))
    if len(found) > MAX_PROBLEMS:
        message = f"{len(found) - MAX_PROBLEMS} more problems from this line on: fix the ones above and check again"
        more = Problem(found[MAX_PROBLEMS].line, "", message)
        found = [*found[:MAX_PROBLEMS], more]
    return ContentError([problem.format(source) for problem in found], tuple(found))


def _read(text: str) -> tuple[Any, list[Problem]]:
    """Parse ``text`` once; return the data and every problem found in it."""
    data, lines, problems = read_yaml(text)
    if lines is None:
        return None, problems
    if not isinstance(data, dict):
        return data, [*problems, Problem(1, "", "expected a mapping of lesson keys at the top level")]
    version = data.get("schema_version")
    if version != SUPPORTED_SCHEMA_VERSION:
        message = f"unsupported schema_version {version!r}: this version of LeadManage reads {SUPPORTED_SCHEMA_VERSION}"
        return data, [*problems, lines.problem(("schema_version",), message)]
    errors = _validator().iter_errors(data)
    problems += [lines.problem(path, message) for error in errors for path, message in _describe(error)]
    problems += [lines.problem(path, message) for path, message in _semantic_problems(data)]
    return data, problems


@cache
def _validator() -> Draft202012Validator:
    """The lesson schema's validator, compiled once per process."""
    return Draft202012Validator(lesson_schema())


_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys",
}


def _describe(error) -> list[tuple[tuple, str]]:
    """Turn one JSON Schema error into (path, message) pairs a lesson author can act on."""
    path, kind, expected = tuple(error.absolute_path), error.validator, error.validator_value
    if kind == "required":
        return [((*path, name), "required field is missing") for name in expected if name not in error.instance]
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return [((*path, key), _unknown_key(key, allowed)) for key in error.instance if key not in allowed]
    messages = {
        "type": lambda: f"expected {_TYPE_NAMES.get(expected, expected)}, got {_yaml_type(error.instance)}",
        "minItems": lambda: f"needs at least {expected} item{'s' if expected > 1 else ''}",
        "maxItems": lambda: f"allows at most {expected} items",
        "minLength": lambda: "must not be empty",
        "maxLength": lambda: f"is too long ({len(error.instance)} characters; at most {expected})",
        "pattern": lambda: _pattern_message(path, error.instance),
        "minimum": lambda: f"must be at least {expected}",
        "maximum": lambda: f"must be at most {expected}",
    }
    return [(path, messages[kind]() if kind in messages else error.message)]


def _unknown_key(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(str(key), allowed, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else f" (allowed: {', '.join(allowed)})"
    return f"unknown key {key!r}{hint}"


def _pattern_message(path: tuple, value: str) -> str:
    if path and path[-1] == "language":
        return f"{value!r} is not a language tag such as 'en' or 'es-MX'"
    return f"{value!r} is not a valid id: use lower-case letters, digits and _, start with a letter, at most 40"


def _yaml_type(value: Any) -> str:
    names = {
        bool: "true/false",
        int: "a whole number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a mapping",
        type(None): "nothing (null)",
        datetime.date: "a date",
        datetime.datetime: "a date and time",
    }
    return names.get(type(value), type(value).__name__)


def _semantic_problems(data: dict) -> list[tuple[tuple, str]]:
    """Rules JSON Schema cannot express: unique ids, references, one correct option, scale ranges."""
    dimension_ids = [d.get("id") for _, d in _items(data, "dimensions")]
    problems = _duplicates(data, ("dimensions",), "id")
    for list_path in [("balancing", "practices"), ("reflection", "prompts"), ("action_plan", "fields")]:
        problems += _duplicates(data, list_path, "id")
    problems += _duplicates(data, ("quiz", "scenarios"), "id", _ids(data, ("quiz", "ratings", "items")))
    problems += _duplicates(data, ("quiz", "ratings", "items"), "id", _ids(data, ("quiz", "scenarios")))
    problems += _duplicates(data, ("profile", "guidance"), "dimension")
    for index, scenario in _items(data, "quiz", "scenarios"):
        problems += _option_problems(("quiz", "scenarios", index), scenario)
    references = [
        ("quiz", "scenarios"),
        ("quiz", "ratings", "items"),
        ("profile", "guidance"),
        ("facilitator", "discussion"),
    ]
    for list_path in references:
        for index, entry in _items(data, *list_path):
            if "dimension" in entry and entry["dimension"] not in dimension_ids:
                problems.append(
                    ((*list_path, index, "dimension"), _missing_dimension(entry["dimension"], dimension_ids))
                )
    return problems + _coverage_problems(data, dimension_ids) + _range_problems(data)


def _option_problems(path: tuple, scenario: dict) -> list[tuple[tuple, str]]:
    options = [option for _, option in _items(scenario, "options")]
    problems = _duplicates(scenario, ("options",), "id", prefix=path)
    correct = sum(1 for option in options if option.get("correct") is True)
    if options and correct != 1:
        problems.append(((*path, "options"), f"needs exactly one option with 'correct: true' (found {correct})"))
    return problems


def _coverage_problems(data: dict, dimension_ids: list) -> list[tuple[tuple, str]]:
    """Every dimension needs scenario items, self-ratings and profile guidance."""
    problems = []
    for index, dimension_id in enumerate(dimension_ids):
        for list_path, what in [
            (("quiz", "scenarios"), "scenario item"),
            (("quiz", "ratings", "items"), "self-rating"),
            (("profile", "guidance"), "profile guidance entry"),
        ]:
            if not any(entry.get("dimension") == dimension_id for _, entry in _items(data, *list_path)):
                problems.append((("dimensions", index), f"dimension {dimension_id!r} has no {what}"))
    return problems


def _range_problems(data: dict) -> list[tuple[tuple, str]]:
    problems = []
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


def _missing_dimension(name: Any, dimension_ids: list) -> str:
    known = ", ".join(str(d) for d in dimension_ids if d)
    return f"names dimension {name!r}, which the lesson does not define (dimensions: {known})"


def _duplicates(data: dict, list_path: tuple, key: str, others: frozenset = frozenset(), prefix: tuple = ()):
    problems, seen = [], set(others)
    for index, entry in _items(data, *list_path):
        value = entry.get(key)
        if not isinstance(value, str):
            continue  # a wrong type is the schema's to report
        if value in seen:
            problems.append(((*prefix, *list_path, index, key), f"duplicate {key} {value!r}"))
        seen.add(value)
    return problems


def _ids(data: dict, list_path: tuple) -> frozenset:
    return frozenset(entry.get("id") for _, entry in _items(data, *list_path) if isinstance(entry.get("id"), str))


def _get(data: Any, *path: str) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _items(data: Any, *path: str) -> list[tuple[int, dict]]:
    value = _get(data, *path)
    if not isinstance(value, list):
        return []
    return [(index, entry) for index, entry in enumerate(value) if isinstance(entry, dict)]


def _build(cls: type, data: dict) -> Any:
    """Build dataclass ``cls`` from validated data, recursing by the type hints."""
    hints = get_type_hints(cls)
    return cls(**{f.name: _convert(hints[f.name], data[f.name]) for f in fields(cls) if f.name in data})


def _convert(hint: Any, value: Any) -> Any:
    if is_dataclass(hint):
        return _build(hint, value)
    if get_origin(hint) is tuple:
        return tuple(_convert(get_args(hint)[0], item) for item in value)
    return float(value) if hint is float else value
