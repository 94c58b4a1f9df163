from typing import Any, TypeVar

from webob import Request, Response
from xblock.core import Blocklike
from xblock.fields import ScopeIds

_Block = TypeVar("_Block", bound=Blocklike)

class Runtime:
    def handler_url(
        self, block: Blocklike, handler_name: str, suffix: str = "", query: str = "", thirdparty: bool = False
    ) -> str: ...
    def local_resource_url(self, block: Blocklike, uri: str) -> str: ...
    def publish(self, block: Blocklike, event_type: str, event_data: dict[str, Any]) -> None: ...
    # Whatever object the runtime registered under the name (each service has its own interface), or None
    # for a service the block `wants` and the runtime lacks: callers annotate what they rely on.
    def service(self, block: Blocklike, service_name: str) -> Any: ...
    # An instance of `cls` with the runtime's mixins mixed in: a subclass of `cls`.
    def construct_xblock_from_class(
        self, cls: type[_Block], scope_ids: ScopeIds, field_data: Any = None, *args: Any, **kwargs: Any
    ) -> _Block: ...
    def handle(self, block: Blocklike, handler_name: str, request: Request, suffix: str = "") -> Response: ...

class NullI18nService: ...
