"""A Redis server of the tests' own (Debian's ``redis-server``) on a free loopback port: the Celery tests' broker."""

import contextlib
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def redis_answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
        connection.sendall(b"PING\r\n")
        return connection.recv(16).startswith(b"+PONG")
    return False


def wait_until_answering(server: subprocess.Popen, answers: Callable[[], bool], name: str, seconds: float) -> None:
    """Return once ``answers()``; fail if ``server`` stops first or does not answer within ``seconds``."""
    deadline = time.monotonic() + seconds
    while not answers():
        assert server.poll() is None, f"{name} stopped"
        assert time.monotonic() < deadline, f"{name} did not start"
        time.sleep(0.05)


@contextlib.contextmanager
def running_redis(folder: Path) -> Iterator[int]:
    """A Redis server keeping nothing on disk, in ``folder``; its port while the context lasts."""
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), "--save", ""]
    server = subprocess.Popen([*command, "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        wait_until_answering(server, lambda: redis_answers(port), "redis-server", seconds=20)
        yield port
    finally:
        server.terminate()
        server.wait(10)
