# Celery 5.x ships no type hints: what LeadManage's distributed batch calls (exporters/celery_tasks.py,
# distributed.py, cli_worker.py), with Celery 5.7's signatures.
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ParamSpec, TypeVar

from kombu.connection import Connection

_F = TypeVar("_F", bound=Callable[..., Any])
_P = ParamSpec("_P")
_R = TypeVar("_R")

class _Request:
    id: str
    retries: int

class Task:
    request: _Request
    def retry(self, *, countdown: float | None = None, exc: BaseException | None = None) -> BaseException: ...

class AsyncResult:
    id: str

class _Conf:
    broker_url: str
    def update(self, **settings: Any) -> None: ...

class _Control:
    def ping(self, timeout: float = 1.0) -> list[dict[str, Any]]: ...

class _Backend:
    def get_many(
        self, task_ids: set[str], *, interval: float = 0.5, max_iterations: int | None = None
    ) -> Iterator[tuple[str, dict[str, Any]]]: ...
    def forget(self, task_id: str) -> None: ...

class Celery:
    conf: _Conf
    control: _Control
    backend: _Backend
    def __init__(
        self,
        main: str | None = None,
        *,
        broker: str | None = None,
        backend: str | None = None,
        set_as_current: bool = True,
    ) -> None: ...
    def task(self, *, name: str, bind: bool = False) -> Callable[[_F], _F]: ...
    def send_task(self, name: str, args: Sequence[Any] | None = None) -> AsyncResult: ...
    def connection_for_write(self) -> Connection: ...
    def worker_main(self, argv: list[str]) -> None: ...
    def close(self) -> None: ...

class _SharedTask[**P, R]:
    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R: ...
    def apply_async(self, args: Sequence[Any] | None = None, *, retry: bool = True) -> AsyncResult: ...

def shared_task(
    *, name: str, acks_late: bool = False, reject_on_worker_lost: bool = False, time_limit: float | None = None
) -> Callable[[Callable[_P, _R]], _SharedTask[_P, _R]]: ...
