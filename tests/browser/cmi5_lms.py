"""A real LRS (Ralph) and the LMS side of a cmi5 launch, for the cmi5 browser tests.

Ralph 5.1 serves the xAPI Statements API only: no State API and no CORS. So the test LMS is what a cmi5 LMS is
anyway, the AU's single xAPI endpoint: it serves the package, the one-time fetch URL, the State API (``LMS.LaunchData``
and the AU's own documents, per agent + activity + registration) and forwards every statements request, with the
AU's Authorization header, to Ralph, which stores (and validates) them. Everything is on 127.0.0.1, free ports.
"""

import base64
import io
import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

from fixture_paths import REPO

RALPH_PYTHON = REPO / "var" / "ralph-venv" / "bin" / "python"
USER, PASSWORD = "lms", "test-secret"
TOKEN = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"


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
        """Every statement Ralph holds, oldest first (Ralph lists the newest first)."""
        request = urllib.request.Request(f"{self.url}/xAPI/statements?limit=1000", headers=self.headers())
        with urllib.request.urlopen(request, timeout=10) as response:
            return list(reversed(json.load(response)["statements"]))

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


@dataclass
class Launch:
    """One AU session the LMS started: what it told the AU."""

    url: str
    registration: str
    session_id: str
    activity_id: str
    actor: dict


@dataclass
class Cmi5Lms:
    """The test LMS: package files, fetch URLs, the State API, and statements forwarded to Ralph."""

    files: dict[str, bytes]
    ralph: Ralph
    states: dict[tuple[str, str, str, str], bytes] = field(default_factory=dict)
    fetches: dict[str, int] = field(default_factory=dict)
    fetch_fails: bool = False
    #: When set, statements reach Ralph with this Authorization instead of the AU's, and Ralph refuses them.
    ralph_auth: str | None = None
    #: When set, the State API refuses every write (HTTP 503), as an overloaded LMS does.
    state_refuses: bool = False
    url: str = ""

    def start(self) -> "Cmi5Lms":
        lms = self

        class Handler(LmsHandler):
            owner = lms

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def launch(
        self,
        registration: str | None = None,
        mode: str = "Normal",
        mastery: float | None = 0.7,
        move_on: str = "CompletedAndPassed",
        return_url: str | None = None,
    ) -> Launch:
        """Start a session as a cmi5 LMS does: LaunchData in the State API, "launched" in the LRS, the launch URL."""
        registration = registration or str(uuid.uuid4())
        session_id, activity_id = str(uuid.uuid4()), f"https://lms.example/activities/{registration}/au"
        actor = {
            "objectType": "Agent",
            "name": "Ada Learner",
            "account": {"homePage": "https://lms.example", "name": "ada"},
        }
        template = {
            "contextActivities": {"grouping": [{"id": "urn:leadmanage:course:leading_vs_managing:au:module"}]},
            "extensions": {SESSION: session_id},
        }
        data = {
            "contextTemplate": template,
            "launchMode": mode,
            "moveOn": move_on,
            "launchMethod": "AnyWindow",
        }
        if mastery is not None:
            data["masteryScore"] = mastery
        if return_url is not None:
            data["returnURL"] = return_url
        self.states[(activity_id, json.dumps(actor, sort_keys=True), registration, "LMS.LaunchData")] = json.dumps(
            data
        ).encode()
        launched = {
            "actor": actor,
            "verb": {"id": "http://adlnet.gov/expapi/verbs/launched"},
            "object": {"id": activity_id},
            "timestamp": _now(),
            "context": {
                **template,
                "registration": registration,
                "contextActivities": {**template["contextActivities"], "category": [{"id": CMI5}]},
                "extensions": {
                    **template["extensions"],
                    "https://w3id.org/xapi/cmi5/context/extensions/launchmode": mode,
                },
            },
        }
        self.ralph_post([launched])
        fetch_id = uuid.uuid4().hex
        self.fetches[fetch_id] = 0
        query = {
            "endpoint": f"{self.url}/xapi/",
            "fetch": f"{self.url}/fetch/{fetch_id}",
            "actor": json.dumps(actor),
            "registration": registration,
            "activityId": activity_id,
        }
        url = f"{self.url}/au/index.html?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items())
        return Launch(url, registration, session_id, activity_id, actor)

    def ralph_post(self, statements: list[dict]) -> None:
        request = urllib.request.Request(
            f"{self.ralph.url}/xAPI/statements",
            data=json.dumps(statements).encode(),
            headers={**self.ralph.headers(), "Content-Type": "application/json"},
        )
        urllib.request.urlopen(request, timeout=10).close()

    def state(self, launch: Launch, state_id: str) -> dict | None:
        stored = self.states.get(
            (launch.activity_id, json.dumps(launch.actor, sort_keys=True), launch.registration, state_id)
        )
        return None if stored is None else json.loads(stored)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


class LmsHandler(BaseHTTPRequestHandler):
    owner: Cmi5Lms

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def reply(self, status: int, body: bytes = b"", content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self):  # noqa: N802 - http.server's name
        path = urlsplit(self.path).path
        if path.startswith("/au/"):
            data = self.owner.files.get(path.removeprefix("/au/"))
            kind = "text/html" if path.endswith(".html") else "text/css" if path.endswith(".css") else "text/javascript"
            return self.reply(200, data, kind) if data is not None else self.reply(404)
        if path == "/xapi/activities/state":
            return self.state_api("GET")
        if path == "/returned":  # where the LMS asks the AU to go once terminated
            return self.reply(200, b"<!DOCTYPE html><title>Back in the LMS</title>", "text/html")
        return self.forward("GET")

    def do_PUT(self):  # noqa: N802
        return self.state_api("PUT") if urlsplit(self.path).path == "/xapi/activities/state" else self.forward("PUT")

    def do_POST(self):  # noqa: N802
        path = urlsplit(self.path).path
        if path.startswith("/fetch/"):
            return self.fetch(path.removeprefix("/fetch/"))
        return self.state_api("POST") if path == "/xapi/activities/state" else self.forward("POST")

    def fetch(self, fetch_id: str) -> None:
        lms = self.owner
        self.body()
        if fetch_id not in lms.fetches:
            return self.reply(404)
        if lms.fetch_fails:  # a refusal document (cmi5 8.2.3): final, the AU must not retry
            return self.reply(200, json.dumps({"error-code": "2", "error-text": "security error"}).encode())
        lms.fetches[fetch_id] += 1
        if lms.fetches[fetch_id] > 1:
            return self.reply(200, json.dumps({"error-code": "1", "error-text": "already used"}).encode())
        return self.reply(200, json.dumps({"auth-token": TOKEN}).encode())

    def state_api(self, method: str) -> None:
        if self.headers.get("Authorization") != f"Basic {TOKEN}":
            return self.reply(401)
        query = {name: values[0] for name, values in parse_qs(urlsplit(self.path).query).items()}
        key = (
            query["activityId"],
            json.dumps(json.loads(query["agent"]), sort_keys=True),
            query.get("registration", ""),
            query["stateId"],
        )
        if method == "GET":
            stored = self.owner.states.get(key)
            return self.reply(404) if stored is None else self.reply(200, stored)
        body = self.body()
        if self.owner.state_refuses:
            return self.reply(503)
        self.owner.states[key] = body
        return self.reply(204)

    def forward(self, method: str) -> None:
        path = urlsplit(self.path)
        if not path.path.startswith("/xapi/statements"):
            return self.reply(404)
        target = f"{self.owner.ralph.url}/xAPI/statements" + (f"?{path.query}" if path.query else "")
        headers = {
            name: self.headers[name]
            for name in ("Authorization", "X-Experience-API-Version", "Content-Type")
            if self.headers.get(name)
        }
        if self.owner.ralph_auth is not None:
            headers["Authorization"] = self.owner.ralph_auth
        request = urllib.request.Request(
            target, data=self.body() if method != "GET" else None, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return self.reply(response.status, response.read())
        except urllib.error.HTTPError as error:
            return self.reply(error.code, error.read())


def package_files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
