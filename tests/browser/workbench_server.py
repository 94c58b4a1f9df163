"""Start a real xblock-sdk workbench (Django runserver) with the LeadManage block on a free local port."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from xml.sax.saxutils import quoteattr

from fixture_paths import CONTENT, REPO

RUN = REPO / "tests" / "lm_workbench" / "run.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def escaping_scenario(folder: Path) -> Path:
    """A scenario XML whose block shows the need_escaped fixture lesson."""
    yaml_text = (CONTENT / "need_escaped.yaml").read_text(encoding="utf-8")
    path = folder / "escaping.xml"
    path.write_text(f"<leadmanage display_name='Escaping' lesson_yaml={quoteattr(yaml_text)}/>", encoding="utf-8")
    return path


def start(var: Path) -> tuple[str, subprocess.Popen]:
    """Run the workbench with its database in ``var``; return its base URL once it answers."""
    port = free_port()
    command = [sys.executable, str(RUN), "--port", str(port), "--var", str(var)]
    command += ["--scenario", f"Escaping={escaping_scenario(var)}"]
    with (var / "server.log").open("w") as log:  # The child keeps its own copy of the handle.
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=var)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the workbench exited: {(var / 'server.log').read_text()}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as response:
                if response.status == 200:
                    return url, process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"the workbench did not start: {(var / 'server.log').read_text()}")
