"""The live cohort summary for course staff, in a real xblock-sdk workbench: its handlers, its panel, its debrief.

The cohort is the one tests/test_cohort.py counted by hand (tests/fixtures/reports/build_cohort_responses.py):
seven learners save their texts and submit through the block's own handlers over HTTP, one of them twice, and the
last two submissions arrive at the same moment from two threads. The staff handler's counts must equal the hand
counts and what `leadmanage cohort --responses` prints for the report the platform would make from the same stored
states (``generate_report_data`` on each learner's state, as the Problem Responses report calls it).
"""

import csv
import http.cookiejar
import json
import re
import sqlite3
import sys
import threading
import urllib.error
import urllib.request
from collections import namedtuple

import pytest
from browser_tools import axe_violations
from click.testing import CliRunner
from fixture_paths import FIXTURES
from leadmanage_exporters.cli import cli
from pdf_helpers import reader, squash
from test_cohort import BANDS, OPTIONS, USERNAMES
from xblock_runtime import make_block

from leadmanage_xblock.core.content import load_builtin_lesson

sys.path.insert(0, str(FIXTURES / "reports"))
from build_cohort_responses import LEARNERS, learner_work  # noqa: E402  (the fixture cohort's own table)

LESSON = load_builtin_lesson()
STAFF = "staff_trainer"
UserState = namedtuple("UserState", "username state")
Reply = namedtuple("Reply", "status body headers")


class Workbench:
    """HTTP to the workbench's block as the pages send it: Django's CSRF cookie and header, ``?student=``."""

    def __init__(self, url: str):
        self.url, self.jar = url, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.usage_id = ""

    def page(self, student: str) -> str:
        with self.opener.open(f"{self.url}/scenario/leadmanage.0/?student={student}") as response:
            return response.read().decode("utf-8")

    def call(self, student: str, handler: str, body: object = None) -> Reply:
        """POST ``body`` as JSON (GET when ``body`` is None) to ``handler`` as ``student``."""
        token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"Content-Type": "application/json", "X-CSRFToken": token}
        url = f"{self.url}/handler/{self.usage_id}/{handler}/?student={student}"
        try:
            with self.opener.open(urllib.request.Request(url, data=data, headers=headers)) as response:
                return Reply(response.status, response.read(), response.headers)
        except urllib.error.HTTPError as refusal:
            return Reply(refusal.code, refusal.read(), refusal.headers)

    def post(self, student: str, handler: str, body: object) -> tuple[int, dict]:
        reply = self.call(student, handler, body)
        return reply.status, json.loads(reply.body)


def save_texts(bench: Workbench, username: str, work) -> None:
    for kind in ("reflection", "action_plan"):
        if work.texts(kind):
            body = {"kind": kind, "values": dict(work.texts(kind)), "revisions": {}}
            assert bench.post(username, "save_text", body)[0] == 200


def submit(bench: Workbench, username: str, work, attempt: int) -> None:
    body = {"attempt": attempt, "answers": dict(work.answers), "ratings": dict(work.ratings)}
    status, reply = bench.post(username, "submit_quiz", body)
    assert status == 200, reply


def at_once(*calls) -> None:
    """Run each call in its own thread, all released together."""
    start = threading.Barrier(len(calls))
    threads = [threading.Thread(target=lambda call=call: (start.wait(), call())) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def report_csv(database, usage_id: str, path) -> None:
    """The Problem Responses report of the block from the workbench's stored states, as the platform builds it."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT user_id, state FROM workbench_xblockstate WHERE scope = 'usage' AND scope_id = ? "
            "AND user_id IS NOT NULL ORDER BY id",
            (usage_id,),
        ).fetchall()
    states = [UserState(user, json.loads(state)) for user, state in rows if json.loads(state) != {}]
    columns = list(make_block().generate_report_data(iter(states)))
    records = [
        {"username": name, **row, "state": json.dumps(s.state)} for (name, row), s in zip(columns, states, strict=True)
    ]
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """The fixture cohort submitted through the block; the staff handler's answers, the report and the PDF."""
    import workbench_server

    folder = tmp_path_factory.mktemp("cohort-workbench")
    url, process = workbench_server.start(folder)
    try:
        yield run_cohort(Workbench(url), folder)
    finally:
        process.terminate()
        process.wait(timeout=10)


def run_cohort(bench: Workbench, folder) -> dict:
    staff_page = bench.page(STAFF)
    bench.usage_id = re.search(r'data-url="/handler/([^/"]+)/cohort_summary/', staff_page).group(1)
    works = [(name, learner_work(LESSON, name, *rest)) for name, *rest in LEARNERS]
    for name, work in dict(works).items():  # everyone's texts first (zq_eve once); zq_gus only writes
        save_texts(bench, name, work)
    for name, work in works[:4]:
        submit(bench, name, work, 1)
    found = {"below": bench.post(STAFF, "cohort_summary", {})}
    submit(bench, *works[4], 1)  # zq_eve's first attempt
    at_once(lambda: submit(bench, *works[5], 2), lambda: submit(bench, *works[6], 1))  # zq_eve again, zq_fay
    found["full"] = bench.post(STAFF, "cohort_summary", {})
    found["debrief"] = bench.call(STAFF, "download_debrief")
    report = folder / "report.csv"
    report_csv(folder / "workbench.db", bench.usage_id, report)
    found["cli"] = CliRunner().invoke(cli, ["cohort", "--responses", str(report)])
    found |= {"bench": bench, "staff_page": staff_page, "learner_page": bench.page("zq_ana")}
    return found


def test_the_staff_summary_counts_each_learner_once_with_their_latest_work(cohort):
    status, reply = cohort["full"]
    assert status == 200, reply
    summary = reply["summary"]
    assert summary["participation"] == {"started": 7, "submitted": 6, "reflected": 4}
    counted = {d["id"]: (d["leading"], d["balanced"], d["managing"], d["mean_rating"]) for d in summary["dimensions"]}
    assert counted == BANDS
    assert {s["id"]: s["options"] for s in summary["scenarios"]} == OPTIONS


def test_the_staff_summary_is_what_the_cli_prints_for_the_courses_report(cohort):
    result = cohort["cli"]
    assert result.exit_code == 0, result.output
    assert cohort["full"][1]["summary"] == json.loads(result.stdout)


def test_below_the_minimum_group_staff_get_how_many_submitted_and_no_count(cohort):
    status, reply = cohort["below"]
    assert status == 200
    assert reply["message"] == "4 of 5 submitted: the summary appears at 5."
    assert (reply["shown"], reply["submitted"], reply["min_group"]) == (False, 4, 5)
    assert "summary" not in reply
    assert re.sub(r"<[^>]+>", "", reply["html"]).strip() == reply["message"]


def test_a_learner_gets_403_and_a_page_without_the_panel(cohort):
    status, reply = cohort["bench"].post("zq_ana", "cohort_summary", {})
    assert (status, reply["error"]) == (403, "Only course staff can see the cohort summary.")
    assert cohort["bench"].call("zq_ana", "download_debrief").status == 403
    script = "section.lm-cohort[data-url]"  # cohort.js's own selector: the script is inline in the workbench
    assert "lm-cohort" in cohort["staff_page"]
    assert script in cohort["staff_page"]
    assert "lm-cohort" not in cohort["learner_page"]
    assert script not in cohort["learner_page"]


def test_the_debrief_download_prints_every_count_and_no_learner(cohort):
    reply = cohort["debrief"]
    assert reply.status == 200, reply.body[:300]
    assert reply.headers["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in reader(reply.body).pages)
    flat = squash(text)
    assert squash("Started the module Submitted the quiz Wrote a reflection") + "764" in flat
    for dimension_id, (leading, balanced, managing, mean) in BANDS.items():
        title = squash(LESSON.dimensions_by_id[dimension_id].title)
        assert f"{title}{leading}{balanced}{managing}{mean:.1f}" in flat, dimension_id
    for scenario_id, options in OPTIONS.items():
        spread = "·".join(f"{option}:{count}" for option, count in options.items())
        assert f"{spread}{LESSON.scenarios_by_id[scenario_id].correct_option.id}" in flat, scenario_id
    assert [name for name in USERNAMES if name in text] == []
    assert "SECRET" not in text  # every reflection and action plan the learners saved is marked so


@pytest.mark.parametrize("width", [1024, 375])
def test_the_staff_panel_shows_the_chart_and_the_table_with_no_axe_violation(cohort, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{cohort['bench'].url}/scenario/leadmanage.0/?student={STAFF}")
        table = page.locator(".lm-cohort-profile")
        table.wait_for()
        assert page.locator(".lm-cohort svg[role=img]").is_visible()
        cells = {
            row.get_attribute("data-dimension"): row.locator("td").all_inner_texts()
            for row in table.locator("tbody tr").all()
        }
        shown = {key: (*map(int, found[:3]), float(found[3])) for key, found in cells.items()}
        assert shown == {key: (*value[:3], round(value[3], 1)) for key, value in BANDS.items()}
        assert page.locator(".lm-cohort a.lm-download").inner_text() == "Download debrief (PDF)"
        box = page.locator(".lm-cohort").bounding_box()
        assert box["x"] + box["width"] <= width  # nothing runs off a phone's screen
        assert axe_violations(page, ".lm-cohort") == []
        with page.expect_download() as download:  # the link asks debrief_status first, as workbook links do
            page.locator(".lm-cohort a.lm-download").click()
        assert download.value.suggested_filename == "leading_vs_managing-debrief.pdf"
        assert errors == []
    finally:
        page.close()
