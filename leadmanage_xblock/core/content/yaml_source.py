"""Lesson YAML text to plain data with the line of every path: any text gives data or problems, never an exception.

Authors paste from word processors, import courses from elsewhere and make typos. PyYAML answers some of
that with exceptions that are not syntax errors (``ReaderError`` for a control character, ``ConstructorError``
or ``ValueError`` for a tag, ``TypeError`` for a list used as a key) or with recursion as deep as the text
is nested. So the text passes three gates, the first two flat and the third only as deep as the second allows:

1. characters YAML cannot read are reported, one problem per line, then dropped so the rest is still checked;
2. one pass over the event stream refuses nesting deeper than ``MAX_DEPTH``, every explicit tag (a lesson
   needs none) and keys that are not text, before anything builds a tree;
3. the composed tree is walked for aliases and duplicate keys, and each scalar is converted on its own,
   so a value that cannot be read (a 5,000-digit number, a date that does not exist) is one problem.
"""

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from .problems import Problem, YamlPath

# libyaml's parser is ~15x faster and keeps line marks; pure Python is the fallback.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: How deeply lists and mappings may nest (the built-in lesson needs 6); deeper is refused before composing.
MAX_DEPTH = 64
#: Characters YAML cannot read (the complement of YAML 1.1's printable set, which PyYAML and libyaml enforce):
#: C0 controls but tab, line feed and carriage return; DEL; C1 controls but NEL; lone surrogates; U+FFFE, U+FFFF.
UNREADABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Line breaks as YAML counts them for its line marks, so every problem's line agrees.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
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


def read_yaml(text: str) -> tuple[Any, "LineIndex | None", list[Problem]]:
    """The data in ``text``, the line of each of its paths, and every problem found on the way.

    Returns:
        ``(data, lines, problems)``. ``lines`` is ``None`` when a problem stopped the reading before there
        was data to check further; otherwise ``problems`` holds only those that leave the data usable
        (unreadable characters, which are dropped, and duplicate keys).
    """
    problems = unreadable_characters(text)
    text = UNREADABLE.sub("", text)
    stopping = _scan_events(text)
    if stopping:
        return None, None, problems + stopping
    try:
        root = yaml.compose(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        return None, None, [*problems, syntax_problem(exc)]
    if root is None:
        return None, None, [*problems, Problem(1, "", "the file is empty: expected a lesson")]
    lines = LineIndex(root)
    if lines.aliases:
        # A few nested aliases expand to millions of nodes ("billion laughs"): refuse before expanding.
        return None, None, problems + lines.aliases
    unreadable_values: list[Problem] = []
    data = _construct(root, (), unreadable_values)
    if unreadable_values:
        return None, None, problems + unreadable_values
    return data, lines, problems + lines.duplicate_keys


def unreadable_characters(text: str) -> list[Problem]:
    """One problem per line that holds characters YAML cannot read, naming each code point once."""
    if UNREADABLE.search(text) is None:
        return []
    problems = []
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        characters = UNREADABLE.findall(line)
        if characters:
            problems.append(Problem(number, "", _characters_message(tuple(dict.fromkeys(characters)))))
    return problems


@lru_cache(maxsize=64)  # a pasted document repeats the same few characters on many lines
def _characters_message(characters: tuple[str, ...]) -> str:
    controls = all(unicodedata.category(character) == "Cc" for character in characters)
    kind = "invisible control character" if controls else "invisible character"
    names = ", ".join(f"U+{ord(character):04X}" for character in characters)
    plural = len(characters) > 1
    return (
        f"{kind}{'s' if plural else ''} {names}, often pasted from a word processor: "
        f"delete {'them' if plural else 'it'} or retype the line"
    )


def syntax_problem(exc: yaml.YAMLError) -> Problem:
    """Point at where the broken construct starts (an unclosed quote is reported at the end of the file)."""
    problem_mark, context_mark = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    problem_line = problem_mark.line + 1 if problem_mark else 1
    problem = getattr(exc, "problem", None) or exc
    if context_mark is None:
        return Problem(problem_line, "", f"YAML syntax error: {problem}")
    context = getattr(exc, "context", "")
    return Problem(context_mark.line + 1, "", f"YAML syntax error {context}: {problem} (line {problem_line})")


@dataclass
class _OpenCollection:
    """A list or mapping the event scan is inside: which, and how many nodes it has had so far."""

    is_mapping: bool
    nodes: int = 0


def _line(mark: Any) -> int:
    """The 1-based line of a parser mark (line 1 when the parser gave none)."""
    return mark.line + 1 if mark is not None else 1


def _scan_events(text: str) -> list[Problem]:
    """Explicit tags, keys that are not text and nesting past ``MAX_DEPTH``, found in one flat pass."""
    problems: list[Problem] = []
    open_collections: list[_OpenCollection] = []
    try:
        for event in yaml.parse(text, Loader=_YAML_LOADER):
            if isinstance(event, yaml.CollectionEndEvent):
                open_collections.pop()
            if not isinstance(event, yaml.NodeEvent):
                continue
            parent = open_collections[-1] if open_collections else _OpenCollection(is_mapping=False)
            is_key = parent.is_mapping and parent.nodes % 2 == 0  # a mapping's nodes alternate: key, value, key...
            parent.nodes += 1
            problems += _node_problems(event, is_key)
            if isinstance(event, yaml.CollectionStartEvent):
                if len(open_collections) == MAX_DEPTH:
                    return [*problems, _too_deep(event)]
                open_collections.append(_OpenCollection(is_mapping=isinstance(event, yaml.MappingStartEvent)))
    except yaml.YAMLError as exc:
        problems.append(syntax_problem(exc))
    return problems


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


class LineIndex:
    """Line numbers of every path in a composed YAML tree, its duplicate mapping keys and its aliases."""

    def __init__(self, root: yaml.Node):
        self.lines: dict[YamlPath, int] = {}
        self.duplicate_keys: list[Problem] = []
        self.aliases: list[Problem] = []
        self._seen: set[int] = set()
        self._walk(root, ())

    def _walk(self, node: yaml.Node, path: YamlPath) -> None:
        # Recursion is safe: _scan_events refused anything nested deeper than MAX_DEPTH.
        if isinstance(node, yaml.CollectionNode) and id(node) in self._seen:  # reached again: an alias
            line = self.lines.get(path[:-1], 1)
            anchor = node.start_mark.line + 1
            message = f"uses a YAML alias of the anchor on line {anchor}: anchors and aliases are not allowed"
            self.aliases.append(Problem(line, dotted(path), message))
            return
        self._seen.add(id(node))
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:  # every key is a text scalar: _scan_events refused the rest
                child = (*path, key.value)
                if key.value in seen:
                    self.duplicate_keys.append(Problem(key.start_mark.line + 1, dotted(child), "duplicate key"))
                seen.add(key.value)
                self.lines[child] = key.start_mark.line + 1
                self._walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                self._walk(value, (*path, index))

    def problem(self, path: YamlPath, message: str) -> Problem:
        """A problem at ``path``, on the line of the nearest part of the path that exists."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return Problem(self.lines[path[:end]], dotted(path), message)
        return Problem(1, dotted(path), message)


def dotted(path: YamlPath) -> str:
    """``("quiz", "scenarios", 0, "id")`` as ``quiz.scenarios[0].id``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".")


def _construct(node: yaml.Node, path: YamlPath, problems: list[Problem]) -> Any:
    """Plain data from an alias-free tree of text keys; a scalar that cannot be read is added to ``problems``."""
    if isinstance(node, yaml.MappingNode):
        return {key.value: _construct(value, (*path, key.value), problems) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, index), problems) for index, item in enumerate(node.value)]
    return _scalar(node, path, problems) if isinstance(node, yaml.ScalarNode) else None


def _scalar(node: yaml.ScalarNode, path: YamlPath, problems: list[Problem]) -> Any:
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
