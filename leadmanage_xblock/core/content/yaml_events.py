"""One pass over libyaml's event stream: the lesson's plain data, the line of every path, and what is wrong.

Reading events instead of composing a tree lets one flat loop do everything, never recursing however deeply
the text is nested: refuse nesting past ``MAX_DEPTH``, explicit tags and keys that are not text as soon as
they appear; build the data and the line of each path; report aliases of lists or mappings (a few nested
aliases expand to millions of nodes, "billion laughs"), duplicate keys, and each scalar that cannot be read
(a 5,000-digit number, a date that does not exist) as one problem. Once a problem stops the reading, the
rest of the text is still checked for problems but nothing more is built.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from .problems import Problem, YamlPath, dotted

# libyaml's parser is ~15x faster and keeps line marks; pure Python is the fallback.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: How deeply lists and mappings may nest (the built-in lesson needs 6); deeper is refused before composing.
MAX_DEPTH = 64

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
#: The tag a plain scalar would get (PyYAML's resolver has no type hints).
_resolve: Callable[[type[yaml.Node], str, tuple[bool, bool]], str] = _RESOLVER.resolve
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
#: What an implicitly resolved scalar is read as, for messages.
_SCALAR_KINDS = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true/false",
    "null": "nothing (null)",
    "timestamp": "a date",
    "merge": "a YAML merge key",
    "value": "a YAML value key",
}


def syntax_problem(exc: yaml.YAMLError) -> Problem:
    """Point at where the broken construct starts (an unclosed quote is reported at the end of the file)."""
    problem_mark, context_mark = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    problem_line = problem_mark.line + 1 if problem_mark else 1
    problem = getattr(exc, "problem", None) or exc
    if context_mark is None:
        return Problem(problem_line, "", f"YAML syntax error: {problem}")
    context = getattr(exc, "context", "")
    return Problem(context_mark.line + 1, "", f"YAML syntax error {context}: {problem} (line {problem_line})")


def _line(mark: Any) -> int:
    """The 1-based line of a parser mark (line 1 when the parser gave none)."""
    return mark.line + 1 if mark is not None else 1


def _node_problems(event: yaml.NodeEvent, is_key: bool) -> list[Problem]:
    line, tag = _line(event.start_mark), getattr(event, "tag", None)
    problems = []
    if tag is not None:
        shown = str(tag).replace("tag:yaml.org,2002:", "!!", 1)
        problems.append(Problem(line, "", f"YAML tag {shown} is not allowed: a lesson needs no tags, delete it"))
    problem = _key_problem(event) if is_key else ""
    if problem:
        problems.append(Problem(line, "", f"{problem}: keys are names written as text, such as 'title'"))
    return problems


def _key_problem(event: yaml.NodeEvent) -> str:
    """What is wrong with a mapping key ("" when it is text)."""
    if isinstance(event, yaml.CollectionStartEvent):
        return "a list or mapping is used as a key (a YAML complex key)"
    if isinstance(event, yaml.AliasEvent):
        return f"the YAML alias *{event.anchor} is used as a key"
    if not isinstance(event, yaml.ScalarEvent) or event.tag is not None:
        return ""  # a tag is refused already
    tag = _resolve(yaml.ScalarNode, event.value, event.implicit)
    return "" if tag == _STR_TAG else f"the key {_shown(event.value)} is read as {_kind(tag)}, not as text"


def _too_deep(event: yaml.NodeEvent) -> Problem:
    message = (
        f"lists and mappings are nested more than {MAX_DEPTH} levels deep: a lesson needs fewer than 10, "
        "check the brackets and indentation"
    )
    return Problem(_line(event.start_mark), "", message)


@dataclass
class _OpenCollection:
    """A list or mapping being read: its path, its data so far, how many nodes it has had, the key waiting."""

    path: YamlPath
    data: dict[str, Any] | list[Any]
    nodes: int = 0
    key: str = ""

    def place_child(self) -> tuple[YamlPath, bool]:
        """The path of the next node inside, and whether it is a mapping key (they alternate: key, value...)."""
        self.nodes += 1
        if isinstance(self.data, list):
            return (*self.path, len(self.data)), False
        return (*self.path, self.key), self.nodes % 2 == 1


class EventReader:
    """Reads a YAML text's events once; see the module's docstring for what it finds."""

    def __init__(self) -> None:
        # Problems by how much they stop: a syntax error, tag, bad key or deep nesting (nothing is built
        # further), what composing a tree would refuse, aliases of lists or mappings, unreadable values.
        self.stopping: list[Problem] = []
        self.composer: list[Problem] = []
        self.aliases: list[Problem] = []
        self.unreadable_values: list[Problem] = []
        self.duplicate_keys: list[Problem] = []
        self.lines: dict[YamlPath, int] = {}
        self.data: Any = None
        self.is_empty = True
        self._open: list[_OpenCollection] = []
        self._anchors: dict[str, yaml.NodeEvent] = {}
        self._first_root: Any = None  # the first document's start: a second one is refused

    @property
    def building(self) -> bool:
        """Whether the data is still being built: no problem has stopped the reading."""
        return not (self.stopping or self.composer)

    def read(self, text: str) -> None:
        """Read ``text`` to its end, or to the first syntax error or nesting past ``MAX_DEPTH``."""
        try:
            for event in yaml.parse(text, Loader=_YAML_LOADER):
                if not self._take(event):
                    return
        except yaml.YAMLError as exc:
            self.stopping.append(syntax_problem(exc))

    def _take(self, event: yaml.Event) -> bool:
        if isinstance(event, yaml.ScalarEvent):
            self._scalar(event)
        elif isinstance(event, yaml.CollectionStartEvent):
            return self._start(event)
        elif isinstance(event, yaml.CollectionEndEvent):
            closed = self._open.pop()
            self._deliver(closed.data)
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)
        elif isinstance(event, yaml.DocumentStartEvent) and self._first_root is not None:
            self._refuse(
                "expected a single document in the stream", self._first_root, "but found another document", event
            )
        return True

    def _place(self, event: yaml.NodeEvent) -> tuple[YamlPath, bool]:
        """Check a node where it stands: its path, and whether it is a mapping key."""
        if self._open:
            path, is_key = self._open[-1].place_child()
        else:
            path, is_key = (), False
            self._first_root = self._first_root or event.start_mark
            self.is_empty = False
        self.stopping += _node_problems(event, is_key)
        anchor = getattr(event, "anchor", None)
        if anchor is not None and not isinstance(event, yaml.AliasEvent):
            self._anchor(anchor, event)
        return path, is_key

    def _anchor(self, anchor: str, event: yaml.NodeEvent) -> None:
        first = self._anchors.setdefault(anchor, event)
        if first is not event:
            self._refuse("found duplicate anchor; first occurrence", first.start_mark, "second occurrence", event)

    def _refuse(self, context: str | None, context_mark: Any, problem: str, event: yaml.Event) -> None:
        """What composing a tree would refuse, worded as PyYAML words it; only the first, as composing stops."""
        if not self.composer:
            problem_mark: Any = event.start_mark  # libyaml's marks are not the type PyYAML's hints name
            error = yaml.composer.ComposerError(context, context_mark, problem, problem_mark)
            self.composer.append(syntax_problem(error))

    def _start(self, event: yaml.NodeEvent) -> bool:
        path, is_key = self._place(event)
        if len(self._open) == MAX_DEPTH:
            self.stopping.append(_too_deep(event))
            return False
        data: dict[str, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
        self._open.append(_OpenCollection(path, data))
        self.lines.setdefault(path, _line(event.start_mark))
        return True

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        path, is_key = self._place(event)
        if not self.building:
            return
        if is_key:
            self._key(event.value, _line(event.start_mark))
            return
        self.lines.setdefault(path, _line(event.start_mark))
        self._deliver(_scalar_value(event, path, self.unreadable_values))

    def _key(self, key: str, line: int) -> None:
        mapping = self._open[-1]
        child = (*mapping.path, key)
        if key in mapping.data:
            self.duplicate_keys.append(Problem(line, dotted(child), "duplicate key"))
        mapping.key = key
        self.lines[child] = line

    def _alias(self, event: yaml.AliasEvent) -> None:
        path, is_key = self._place(event)
        anchored = self._anchors.get(str(event.anchor))
        if anchored is None:
            self._refuse(None, None, "found undefined alias", event)
        if anchored is None or is_key or not self.building:
            return
        if isinstance(anchored, yaml.ScalarEvent):
            self.lines.setdefault(path, _line(anchored.start_mark))
            self._deliver(_scalar_value(anchored, path, self.unreadable_values))
            return
        anchor = _line(anchored.start_mark)
        message = f"uses a YAML alias of the anchor on line {anchor}: anchors and aliases are not allowed"
        self.aliases.append(Problem(self.lines.get(path[:-1], 1), dotted(path), message))
        self._deliver(None)

    def _deliver(self, value: Any) -> None:
        """Put a finished value where it belongs: in the list or mapping around it, or at the top."""
        if not self.building:
            return
        if not self._open:
            self.data = value
        elif isinstance(parent := self._open[-1].data, list):
            parent.append(value)
        else:
            parent[self._open[-1].key] = value


def _scalar_value(event: yaml.ScalarEvent, path: YamlPath, problems: list[Problem]) -> Any:
    """A scalar's value as YAML reads it (text stays text); one that cannot be read is added to ``problems``."""
    tag = _resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == _STR_TAG:
        return event.value
    start: Any = event.start_mark  # libyaml's marks are not the type PyYAML's hints name
    return _convert(yaml.ScalarNode(tag, event.value, start), path, problems)


def _convert(node: yaml.ScalarNode, path: YamlPath, problems: list[Problem]) -> Any:
    construct = _CONSTRUCTOR.yaml_constructors.get(node.tag)
    if construct is None:  # "=" and "<<" resolve to tags that mean nothing as a value: keep the text
        return node.value
    try:
        value = construct(_CONSTRUCTOR, node)
    except (ValueError, ArithmeticError):  # int() past Python's digit limit, a date that does not exist
        message = f"{_shown(node.value)} cannot be read as {_kind(node.tag)}: put it in quotes if it is meant as text"
        problems.append(Problem(node.start_mark.line + 1, dotted(path), message))
        return None
    if isinstance(value, float) and not math.isfinite(value):
        message = f"{_shown(node.value)} is not a finite number: write an ordinary number such as 0.5"
        problems.append(Problem(node.start_mark.line + 1, dotted(path), message))
    return value


def _kind(tag: str) -> str:
    return _SCALAR_KINDS.get(tag.rsplit(":", 1)[-1], tag)


def _shown(value: str) -> str:
    """A scalar as a message quotes it: at most 40 characters, with the full length when cut."""
    return repr(value) if len(value) <= 40 else f"{value[:40]!r}… ({len(value)} characters)"
