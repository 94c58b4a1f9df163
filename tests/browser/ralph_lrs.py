"""A real LRS, Ralph, for the cmi5 browser tests: started on a free loopback port with a file-system backend.

Ralph (``ralph-malph[lrs]`` 5.1, installed by ``make ralph`` in ``var/ralph-venv``) runs in its own process and venv;
``strict_xapi_problems`` checks statements against its strict xAPI 1.0.3 models (``xapi_validate.py``).
"""

import base64
import json
import os
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from fixture_paths import REPO

RALPH_PYTHON = REPO / "var" / "ralph-venv" / "bin" / "python"
USER, PASSWORD = "lms", "test-secret"
TOKEN = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Ralph:
    """Ralph's LRS API in its own process, with a file-system backend and one basic-auth user."""

    url: str
    process: subprocess.Popen[bytes]

    def statements(self) -> list[dict]:
        """Every statement Ralph holds, in the order it stored them (its file-system backend lists them so)."""
        request = urllib.request.Request(f"{self.url}/xAPI/statements?limit=1000", headers=self.headers())
        with urllib.request.urlopen(request, timeout=10) as response:
            return list(json.load(response)["statements"])

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Basic {TOKEN}", "X-Experience-API-Version": "1.0.3"}

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def strict_xapi_problems(statements: list[dict]) -> list[str]:
    """What Ralph's strict xAPI 1.0.3 models find wrong in ``statements`` (``xapi_validate.py``), one line each."""
    checked = subprocess.run(
        [str(RALPH_PYTHON), str(Path(__file__).with_name("xapi_validate.py"))],
        input=json.dumps(statements),
        capture_output=True,
        text=True,
        check=True,
    )
    return checked.stdout.splitlines()


def start_ralph(folder: Path) -> Ralph:
    """Start Ralph (installed by `make ralph` in var/ralph-venv) and wait until it answers."""
    assert RALPH_PYTHON.exists(), f"{RALPH_PYTHON} is missing: run `make ralph`"
    auth = folder / "auth.json"
    hashed = subprocess.run(
        [
            str(RALPH_PYTHON),
            "-c",
            "import bcrypt,sys; print(bcrypt.hashpw(sys.argv[1].encode(), bcrypt.gensalt(4)).decode())",
            PASSWORD,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    auth.write_text(
        json.dumps([{"username": USER, "hash": hashed, "scopes": ["all"], "agent": {"mbox": "mailto:lms@example.com"}}])
    )
    port = free_port()
    env = {
        **os.environ,
        "RALPH_AUTH_FILE": str(auth),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "lrs"),
        "RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT": "1000",
        "RALPH_APP_DIR": str(folder),
    }
    with (folder / "ralph.log").open("wb") as log:  # the child keeps its own copy of the file
        process = subprocess.Popen(
            [str(RALPH_PYTHON), str(Path(__file__).with_name("ralph_serve.py")), str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    ralph = Ralph(f"http://127.0.0.1:{port}", process)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{ralph.url}/__lbheartbeat__", timeout=1).close()
            return ralph
        except OSError:
            assert process.poll() is None, (folder / "ralph.log").read_text()
            time.sleep(0.1)
    ralph.stop()
    raise AssertionError("Ralph did not start: " + (folder / "ralph.log").read_text())
