"""Read a lesson YAML file, check it against the schema, and build the content model.

Every problem in a file is collected first and reported together, each as
``FILE:LINE: path.to.field: message``, so an author can fix them all in one go.
"""

import datetime
import difflib
import json
import stat
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args, get_origin, get_type_hints

from .model import Lesson
from .problems import Problem, YamlPath
from .rules import PathProblem, semantic_problems
from .schema_check import SchemaError, schema_errors

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from _typeshed import DataclassInstance

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
    schema: dict[str, Any] = json.loads(_PACKAGE.joinpath("lesson.schema.json").read_text(encoding="utf-8"))
    return schema


@lru_cache(maxsize=8)
def builtin_lesson_text(language: str = "en") -> str:
    """The YAML text of the built-in lesson in ``language`` (English when there is no translation), read once."""
    return _builtin_file(language, ".yaml").read_text(encoding="utf-8")


@lru_cache(maxsize=8)
def load_builtin_lesson(language: str = "en") -> Lesson:
    """The built-in lesson, read once per process without the checks an author's lesson goes through.

    The built-in files ship inside the package, and ``tests/test_builtin_lessons.py`` checks every one of them
    in full and that it reads as the same lesson either way: checking them again in each process would cost
    every new LMS worker's first view the time an author's lesson takes to check. A built wheel also ships each
    one already read, as JSON (``build_templates.py``): a new process then neither imports PyYAML nor parses
    the YAML (about 45 ms of every ``leadmanage export`` and of a new worker's first view).
    """
    shipped = _builtin_file(language, ".json")
    if shipped.is_file():
        data = json.loads(shipped.read_text(encoding="utf-8"))
    else:
        from .yaml_source import read_yaml  # a checkout or an editable install: the YAML is all there is

        data = read_yaml(builtin_lesson_text(language))[0]
    return _build(Lesson, data)


def _builtin_file(language: str, suffix: str) -> "Traversable":
    """The built-in lesson's file in ``language`` with ``suffix``, or the English one when there is none."""
    lessons = _PACKAGE.joinpath("lessons")
    translated = lessons.joinpath(f"{BUILTIN_LESSON_ID}.{language}{suffix}")
    return translated if language != "en" and translated.is_file() else lessons.joinpath(BUILTIN_LESSON_ID + suffix)


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
    from .yaml_source import read_yaml  # PyYAML loads with the first lesson that is not shipped pre-read

    data, lines, problems = read_yaml(text)
    if lines is None:
        return None, problems
    if not isinstance(data, dict):
        return data, [*problems, Problem(1, "", "expected a mapping of lesson keys at the top level")]
    version = data.get("schema_version")
    if version != SUPPORTED_SCHEMA_VERSION:
        message = f"unsupported schema_version {version!r}: this version of LeadManage reads {SUPPORTED_SCHEMA_VERSION}"
        return data, [*problems, lines.problem(("schema_version",), message)]
    errors = schema_errors(data, lesson_schema())
    problems += [lines.problem(path, message) for error in errors for path, message in _describe(error)]
    problems += [lines.problem(path, message) for path, message in semantic_problems(data)]
    return data, problems


_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys",
}


def _describe(error: SchemaError) -> list[PathProblem]:
    """Turn one JSON Schema error into (path, message) pairs a lesson author can act on."""
    path: YamlPath = tuple(error.absolute_path)
    kind, expected = error.validator, error.validator_value
    if kind == "required":
        return [((*path, name), "required field is missing") for name in expected if name not in error.instance]
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return [((*path, key), _unknown_key(key, allowed)) for key in error.instance if key not in allowed]
    messages: dict[str, Callable[[], str]] = {
        "type": lambda: f"expected {_TYPE_NAMES.get(expected, expected)}, got {_yaml_type(error.instance)}",
        "minItems": lambda: f"needs at least {expected} item{'s' if expected > 1 else ''}",
        "maxItems": lambda: f"allows at most {expected} items",
        "minLength": lambda: "must not be empty",
        "maxLength": lambda: f"is too long ({len(error.instance)} characters; at most {expected})",
        "pattern": lambda: _pattern_message(path, error.instance),
        "minimum": lambda: f"must be at least {expected}",
        "maximum": lambda: f"must be at most {expected}",
        "enum": lambda: f"{error.instance!r} is not one of: {', '.join(map(str, expected))}",
    }
    return [(path, messages[kind]() if kind in messages else error.message)]


def _unknown_key(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(str(key), allowed, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else f" (allowed: {', '.join(allowed)})"
    return f"unknown key {key!r}{hint}"


def _pattern_message(path: YamlPath, value: str) -> str:
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


def _build[T: "DataclassInstance"](cls: type[T], data: dict[str, Any]) -> T:
    """Build dataclass ``cls`` from validated data, recursing by the type hints."""
    hints = get_type_hints(cls)
    return cls(**{f.name: _convert(hints[f.name], data[f.name]) for f in fields(cls) if f.name in data})


def _convert(hint: object, value: Any) -> Any:
    if isinstance(hint, type) and is_dataclass(hint):  # a hint is a class or an alias, never an instance
        return _build(hint, value)
    if get_origin(hint) is tuple:
        return tuple(_convert(get_args(hint)[0], item) for item in value)
    return float(value) if hint is float else value
