# The one Celery signal LeadManage connects (exporters/cli_worker.py), with Celery 5.7's signature.
from collections.abc import Callable
from typing import Any

class Signal:
    def connect(self, receiver: Callable[..., Any], *, weak: bool = True, dispatch_uid: Any = None) -> Any: ...

worker_process_init: Signal
