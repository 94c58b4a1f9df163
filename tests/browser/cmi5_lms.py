"""The LMS side of a cmi5 launch, in front of a real LRS (Ralph, ``ralph_lrs.py``), for the cmi5 browser tests.

Ralph 5.1 serves the xAPI Statements API only: no State API, no Agent Profile API and no CORS. So the test LMS is
what a cmi5 LMS is anyway, the AU's single xAPI endpoint: it serves the package, the one-time fetch URL, the State
API (``LMS.LaunchData`` and the AU's own documents, per agent + activity + registration), the Agent Profile API
(``cmi5LearnerPreferences``), and forwards every statements request, with the AU's Authorization header, to Ralph,
which stores (and validates) them. It can also fail as LMSs do (a refusing fetch URL, an LRS answering 503).
Everything is on 127.0.0.1, free ports.
"""

import io
import json
import threading
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlsplit

from ralph_lrs import TOKEN, Ralph, free_port, start_ralph, strict_xapi_problems

__all__ = ["CMI5", "SESSION", "Cmi5Lms", "Launch", "free_port", "package_files", "start_ralph", "strict_xapi_problems"]
PREFERENCES = "cmi5LearnerPreferences"

CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"


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
    #: Agent Profile documents by (agent as sorted JSON, profileId).
    profiles: dict[tuple[str, str], bytes] = field(default_factory=dict)
    fetches: dict[str, int] = field(default_factory=dict)
    #: How the fetch URL fails: "refuses" (a cmi5 error document) or "forbidden" (HTTP 403); both are final.
    fetch_fault: str | None = None
    #: How many times the AU POSTed to a fetch URL.
    fetch_posts: int = 0
    #: Every request the AU made to the xAPI endpoint: (method, path, query, Authorization header or None).
    xapi_requests: list[tuple[str, str, dict[str, str], str | None]] = field(default_factory=list)
    #: When set, the statements API answers with this status (e.g. 503) and forwards nothing to Ralph.
    statements_refuse: int | None = None
    #: Seconds the statements API takes before it forwards a request to Ralph (a slow LRS).
    statements_delay: float = 0.0
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
        fetch_url: str | None = None,
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
            "fetch": fetch_url or f"{self.url}/fetch/{fetch_id}",
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

    def set_preferences(self, actor: dict, document: dict) -> None:
        """Store the learner's ``cmi5LearnerPreferences``, as the LMS does from its own settings."""
        self.profiles[(json.dumps(actor, sort_keys=True), PREFERENCES)] = json.dumps(document).encode()

    def preference_reads(self, launch: Launch) -> int:
        """How many times the AU read the launch's learner's ``cmi5LearnerPreferences``."""
        return sum(
            1
            for method, path, query, _ in self.xapi_requests
            if (method, path, query.get("profileId")) == ("GET", "/xapi/agents/profile", PREFERENCES)
            and json.loads(query["agent"]) == launch.actor
        )

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
        path = self.record("GET")
        if path.startswith("/au/"):
            data = self.owner.files.get(path.removeprefix("/au/"))
            kind = "text/html" if path.endswith(".html") else "text/css" if path.endswith(".css") else "text/javascript"
            return self.reply(200, data, kind) if data is not None else self.reply(404)
        if path == "/xapi/activities/state":
            return self.state_api("GET")
        if path == "/xapi/agents/profile":
            return self.profile_api()
        if path == "/returned":  # where the LMS asks the AU to go once terminated
            return self.reply(200, b"<!DOCTYPE html><title>Back in the LMS</title>", "text/html")
        return self.forward("GET")

    def do_PUT(self):  # noqa: N802
        return self.state_api("PUT") if self.record("PUT") == "/xapi/activities/state" else self.forward("PUT")

    def do_POST(self):  # noqa: N802
        path = self.record("POST")
        if path.startswith("/fetch/"):
            return self.fetch(path.removeprefix("/fetch/"))
        return self.state_api("POST") if path == "/xapi/activities/state" else self.forward("POST")

    def record(self, method: str) -> str:
        """The request's path, noted in ``xapi_requests`` when it is for the xAPI endpoint."""
        path = urlsplit(self.path).path
        if path.startswith("/xapi/"):
            query = {name: values[0] for name, values in parse_qs(urlsplit(self.path).query).items()}
            self.owner.xapi_requests.append((method, path, query, self.headers.get("Authorization")))
        return path

    def fetch(self, fetch_id: str) -> None:
        lms = self.owner
        self.body()
        lms.fetch_posts += 1
        if fetch_id not in lms.fetches:
            return self.reply(404)
        if lms.fetch_fault == "refuses":  # a refusal document (cmi5 8.2.3): final, the AU must not retry
            return self.reply(200, json.dumps({"error-code": "2", "error-text": "security error"}).encode())
        if lms.fetch_fault == "forbidden":
            return self.reply(403)
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

    def profile_api(self) -> None:
        if self.headers.get("Authorization") != f"Basic {TOKEN}":
            return self.reply(401)
        query = {name: values[0] for name, values in parse_qs(urlsplit(self.path).query).items()}
        stored = self.owner.profiles.get((json.dumps(json.loads(query["agent"]), sort_keys=True), query["profileId"]))
        return self.reply(404) if stored is None else self.reply(200, stored)

    def forward(self, method: str) -> None:
        path = urlsplit(self.path)
        if not path.path.startswith("/xapi/statements"):
            return self.reply(404)
        if self.owner.statements_refuse is not None:
            self.body()
            return self.reply(self.owner.statements_refuse)
        time.sleep(self.owner.statements_delay)
        target = f"{self.owner.ralph.url}/xAPI/statements" + (f"?{path.query}" if path.query else "")
        headers = {
            name: self.headers[name]
            for name in ("Authorization", "X-Experience-API-Version", "Content-Type")
            if self.headers.get(name)
        }
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
