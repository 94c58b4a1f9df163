from typing import ClassVar

class CompletableXBlockMixin:
    has_custom_completion: ClassVar[bool]
    completion_mode: ClassVar[str]
    def emit_completion(self, completion_percent: float) -> None: ...
