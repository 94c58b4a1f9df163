from datetime import datetime, timedelta
from typing import Any, NamedTuple, Self, overload

class Scope:
    content: Scope
    settings: Scope
    user_state: Scope
    preferences: Scope
    user_info: Scope
    user_state_summary: Scope

class ScopeIds(NamedTuple):
    # Whatever the runtime identifies them with: the LMS's user id is an int (None for an anonymous
    # visitor), its usage and definition ids are opaque keys; test runtimes use strings.
    user_id: object
    block_type: str
    def_id: object
    usage_id: object

# `T` is the value a block reads: the declared default's type, which the XBlock runtime converts
# stored JSON to (`from_json`). XBlock also hands back `None` where `None` was stored; LeadManage's own
# fields are only written with checked values, and the one value the platform may set to `None`
# (`max_attempts`, inherited from the course) is read with that in mind.
class Field[T]:
    name: str
    scope: Scope
    help: str | None
    @property
    def default(self) -> T: ...
    @property
    def display_name(self) -> str: ...
    def __init__(
        self,
        help: str | None = None,
        default: Any = ...,
        scope: Scope = ...,
        display_name: str | None = None,
        values: Any = None,
        enforce_type: bool = False,
        xml_node: bool = False,
        force_export: bool = False,
        **kwargs: Any,
    ) -> None: ...
    @overload
    def __get__(self, xblock: None, xblock_class: type[Any]) -> Self: ...
    @overload
    def __get__(self, xblock: object, xblock_class: type[Any]) -> T: ...
    def __set__(self, xblock: object, value: T) -> None: ...
    # Every read and write passes through it; the base class returns the value as it is.
    def _sanitize(self, value: Any) -> Any: ...
    def from_string(self, serialized: str) -> T: ...
    def to_string(self, value: T) -> str: ...
    def from_json(self, value: Any) -> T: ...
    def is_set_on(self, xblock: object) -> bool: ...
    def read_from(self, xblock: object) -> T: ...

class String(Field[str]):
    # Text (bytes are decoded as UTF-8) loses the characters XML cannot hold; anything else passes unchanged.
    @overload
    def _sanitize(self, value: str | bytes) -> str: ...
    @overload
    def _sanitize(self, value: Any) -> Any: ...

class Integer(Field[int]): ...
class Float(Field[float]): ...
class Boolean(Field[bool]): ...
class Dict(Field[dict[str, Any]]): ...

# An unset or unreadable date is None.
class Date(Field[datetime | None]): ...
class Timedelta(Field[timedelta | None]): ...
