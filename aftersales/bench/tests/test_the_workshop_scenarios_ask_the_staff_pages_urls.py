"""Issue 8, "Speed": the workshop's benchmark scenarios are written against the staff pages'
URLs before those pages exist (another branch). Here wrk runs each scenario's trial against a
stand-in server that answers as the contract says (`/workshop/scan/?number=`,
`/workshop/search/?q=`, `/workshop/cases/<number>/`, `/workshop/queues/<queue>/`, POST
`/workshop/cases/<number>/<action>/` with `expected_status`), and the requests are checked: the
right path and role, each move on another case. And the pages' reader finds the queues and the
form that moves a case in pages shaped like Django's."""

from __future__ import annotations

import argparse
import shutil
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from aftersales.bench import run, scenarios
from aftersales.bench.workshop_pages import (
    WorkshopPages,
    move_form_choose,
    move_forms,
    queue_slugs,
)

pytestmark = pytest.mark.skipif(
    shutil.which("wrk") is None, reason="wrk runs the scenarios (apt-get install wrk)"
)

STAFF = {
    role: {"session": f"session-{role}", "csrf": f"{role:x<32}"[:32], "language": "en"}
    for role in ("reception", "technician", "agent", "analyst", "administrator")
}
MANIFEST = {
    "staff": STAFF,
    "scan": ["CAS-1000001-AAAAAA", "CAS-1000002-AAAAAB"],
    "open": ["CAS-2000001-BBBBBB"],
    "serials": ["BX0000000001"],
    "former_serials": ["BX0000000002"],
    "emails": ["bench-owner-000001@example.com"],
    "received": [f"CAS-300000{n}-CCCCCC" for n in range(10)],
}
PAGES = WorkshopPages(
    queues=[("parcels-expected", "reception")],
    action="start-evaluation",
    body="expected_status=received",
)


class Recorder(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, str, str]] = []  # method, path, cookie, body

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        self.seen.append(("GET", self.path, self.headers.get("Cookie", ""), ""))
        query = dict(urllib.parse.parse_qsl(url.query))
        # The contract's pages show what was asked for: the case number, the searched text.
        shown = query.get("number") or query.get("q") or url.path
        self.answer(200, f"<html><body>{shown}</body></html>")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length).decode()
        cookie = self.headers.get("Cookie", "") + " X-CSRFToken=" + self.headers["X-CSRFToken"]
        self.seen.append(("POST", self.path, cookie, body))
        case_page = self.path.rsplit("/", 2)[0] + "/"
        self.answer(302, "", location=case_page)

    def answer(self, status: int, text: str, location: str = "") -> None:
        data = text.encode()
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # wrk closes its connections when its time is up, answers half written


@pytest.fixture
def server():
    Recorder.seen = []
    httpd = Server(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def trial(scenario: scenarios.HttpScenario, base_url: str, tmp_path: Path, offset: int = 0):
    options = argparse.Namespace(devices=10, plans=5)
    lua = {"repairs": "", "workshop": run.workshop_lua(MANIFEST, PAGES)}
    script = tmp_path / f"{scenario.name}.lua"
    script.write_text(run.script_text(scenario, options, lua, offset=offset, trial=True))
    return run.check_answers(scenario, base_url, "token", script)


def named(name: str) -> scenarios.HttpScenario:
    return next(s for s in scenarios.WORKSHOP_SCENARIOS if s.name == name)


@pytest.mark.parametrize(
    ("name", "role", "path"),
    [
        ("ws-dashboard", "technician", "/workshop/"),
        ("ws-scan", "reception", "/workshop/scan/?number=CAS-"),
        ("ws-case", "technician", "/workshop/cases/CAS-2000001-BBBBBB/"),
        ("ws-search-serial", "agent", "/workshop/search/?q=BX0000000001"),
        ("ws-search-former-serial", "agent", "/workshop/search/?q=BX0000000002"),
        ("ws-search-case", "agent", "/workshop/search/?q=CAS-2000001-BBBBBB"),
        ("ws-search-email", "agent", "/workshop/search/?q=bench-owner-000001%40example.com"),
        ("ws-centre-dashboard", "administrator", "/workshop/dashboard/"),
        ("ws-centre-dashboard-period", "administrator", "/workshop/dashboard/?start=20"),
        ("ws-centre-dashboard-plot", "administrator", "/workshop/dashboard/plots/"),
    ],
)
def test_each_page_is_asked_at_its_url_as_its_role(server, tmp_path, name, role, path):
    figures = trial(named(name), server, tmp_path)
    assert figures["requests"] > 0 and not figures["unexpected"]
    assert Recorder.seen
    for method, seen_path, cookie, _ in Recorder.seen:
        assert method == "GET" and seen_path.startswith(path), seen_path
        assert f"sessionid=session-{role};" in cookie


def test_a_queue_found_on_the_dashboard_is_asked_as_the_role_that_may_open_it(server, tmp_path):
    trial(scenarios.queue_scenario("parcels-expected", "reception"), server, tmp_path)
    assert {path for _, path, _, _ in Recorder.seen} == {"/workshop/queues/parcels-expected/"}
    assert all("sessionid=session-reception;" in cookie for _, _, cookie, _ in Recorder.seen)


def test_each_move_posts_the_form_for_another_received_case_once(server, tmp_path):
    trial(named("ws-transition"), server, tmp_path, offset=2)
    posts = [(path, cookie, body) for method, path, cookie, body in Recorder.seen]
    assert posts and all(method == "POST" for method, *_ in Recorder.seen)
    # From the offset on, in the manifest's order, each case once (wrk also calls request()
    # once per thread to check it, which skips a case: never reuses one).
    numbers = [path.split("/")[3] for path, _, _ in posts]
    positions = [MANIFEST["received"].index(n) for n in numbers if n in MANIFEST["received"]]
    assert positions == sorted(set(positions)) and positions[0] >= 2
    # Out of received cases: a case number that is none, whose 404 counts as an error.
    assert set(numbers) - set(MANIFEST["received"]) <= {"CAS-0000000-NONEXT"}
    for path, cookie, body in posts:
        assert path.endswith("/start-evaluation/")
        assert body == "expected_status=received"
        assert "sessionid=session-technician;" in cookie
        assert f"X-CSRFToken={STAFF['technician']['csrf']}" in cookie
        assert f"csrftoken={STAFF['technician']['csrf']}" in cookie


def test_an_answer_without_what_was_asked_for_stops_the_run(server, tmp_path, monkeypatch):
    monkeypatch.setattr(Recorder, "do_GET", lambda self: self.answer(200, "<html>none</html>"))
    with pytest.raises(SystemExit, match="with what was asked for"):
        trial(named("ws-scan"), server, tmp_path)


DASHBOARD = """
<nav><a href="/workshop/queues/parcels-expected/">Parcels</a>
<a href="/workshop/queues/to-evaluate/?page=2">To evaluate</a>
<a href="/workshop/queues/parcels-expected/">again</a></nav>
"""
CASE_PAGE = """
<form method="post" action="/workshop/cases/CAS-3000001-CCCCCC/hold/">
  <input type="hidden" name="csrfmiddlewaretoken" value="x">
  <input type="hidden" name="expected_status" value="received">
  <select name="reason" required><option value="parts">Parts</option></select>
  <button type="submit">Hold</button>
</form>
<form method="post" action="/workshop/cases/CAS-3000001-CCCCCC/note/">
  <input type="hidden" name="csrfmiddlewaretoken" value="x">
  <textarea name="text"></textarea>
</form>
<form method="post" action="/workshop/cases/CAS-3000001-CCCCCC/start-evaluation/">
  <input type="hidden" name="csrfmiddlewaretoken" value="x">
  <input type="hidden" name="expected_status" value="received">
  <button type="submit">Start the evaluation</button>
</form>
<form method="get" action="/workshop/search/"><input name="q"></form>
"""


def test_the_pages_reader_finds_the_queues_and_the_form_that_moves_a_case():
    assert queue_slugs(DASHBOARD) == ["parcels-expected", "to-evaluate"]
    forms = move_forms(CASE_PAGE, "CAS-3000001-CCCCCC")
    # The hold form needs a reason typed, the note form has no expected status.
    assert forms == [("start-evaluation", "expected_status=received")]
    assert move_form_choose(forms, None) == ("start-evaluation", "expected_status=received")
    with pytest.raises(ValueError, match="--transition-action"):
        move_form_choose([], None)
    with pytest.raises(ValueError, match="close"):
        move_form_choose(forms, "close")


class OneAtATime(Recorder):
    """A server of one sync worker whose first answer counts for 3.5 s (a slow machine's
    workshop dashboard, counted once and then cached): every request waits for the one before."""

    lock = threading.Lock()
    first = True

    def do_GET(self) -> None:
        with OneAtATime.lock:
            if OneAtATime.first:
                OneAtATime.first = False
                time.sleep(3.5)
            super().do_GET()


def test_a_first_answer_slower_than_the_trial_is_waited_for_not_taken_for_an_error(tmp_path):
    """The one-second trial gets no answer, so the runner tries again for ten seconds; that
    trial's first request waits behind the first one (2.5 s more), and must not time out."""
    httpd = Server(("127.0.0.1", 0), OneAtATime)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
        script = tmp_path / "dashboard.lua"
        options = argparse.Namespace(devices=10, plans=5)
        lua = {"repairs": "", "workshop": run.workshop_lua(MANIFEST, PAGES)}
        scenario = named("ws-centre-dashboard")
        script.write_text(run.script_text(scenario, options, lua, offset=0, trial=True))
        assert run.check_answers(scenario, base_url, "token", script).get("again")
        figures = run.check_answers(scenario, base_url, "token", script, seconds=10)
        assert figures["requests"] > 1 and not figures["errors"]
    finally:
        httpd.shutdown()
        httpd.server_close()
