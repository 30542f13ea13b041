"""Apache Superset on the demo's marts (what `make bi` serves): started on a free port of
127.0.0.1 in a throwaway home, the winback dashboard created through Superset's REST API
from bi/dashboard.json, then opened as a person would, in Debian's headless Chromium
(driven by playwright): log in through the form, wait for every chart to render, take a
full-page screenshot, and read the headline tiles, which must equal the marts."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
# scripts/ is not a package: scripts/bi.py is importable only once it is on sys.path.
import bi  # noqa: E402  (scripts/bi.py)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOT = ROOT / "target" / "winback_superset.png"
SPEC = json.loads((ROOT / "bi" / "dashboard.json").read_text())
RENDER_TIMEOUT_MS = 90_000

# Every chart holder of the dashboard: its title, whether it drew something (an svg, a
# canvas or a table), whether a spinner or an error is still there, and its text.
CHARTS_JS = """() => Array.from(document.querySelectorAll(
    '[data-test="dashboard-component-chart-holder"]')).map(h => ({
  title: (h.querySelector('[data-test="editable-title"]') || {}).innerText || '',
  drawn: !!h.querySelector('[data-test="chart-container"] svg, '
                           + '[data-test="chart-container"] canvas, '
                           + '[data-test="chart-container"] table'),
  loading: !!h.querySelector('[data-test="loading-indicator"], .loading'),
  error: !!h.querySelector('.ant-alert-error, [data-test="error-tooltip"], [role="alert"]'),
  headline: (h.querySelector('.header-line') || {}).innerText || null,
  text: h.innerText.slice(0, 3000),
}))"""
ALL_DRAWN_JS = """(n) => {
  const holders = document.querySelectorAll('[data-test="dashboard-component-chart-holder"]');
  return holders.length === n && Array.from(holders).every(h =>
    !h.querySelector('[data-test="loading-indicator"], .loading') && (
      h.querySelector('[data-test="chart-container"] svg, [data-test="chart-container"] canvas,'
                      + ' [data-test="chart-container"] table')
      || h.querySelector('.ant-alert-error, [data-test="error-tooltip"], [role="alert"]')));
}"""


@pytest.fixture(scope="module")
def superset(demo, tmp_path_factory):
    """Superset serving the dashboard on the demo's DuckDB file; stopped afterwards."""
    if not bi.SUPERSET.exists():
        pytest.fail(f"{bi.SUPERSET} is missing: `make setup-bi` installs it", pytrace=False)
    _, db = demo
    try:
        with bi.superset_server(db, home=tmp_path_factory.mktemp("superset")) as running:
            yield running
    except (bi.BiError, bi.dashboard.SupersetError) as exc:
        pytest.fail(f"Superset did not start or the dashboard was not created: {exc}",
                    pytrace=False)


@pytest.fixture(scope="module")
def dashboard_seen(superset):
    """Log in through Superset's form, open the dashboard, wait until every chart has
    drawn (or failed), read the chart holders and take a full-page screenshot."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(f"{superset.url}/login/")
            page.fill("#username", superset.user)
            page.fill("#password", superset.password)
            page.keyboard.press("Enter")
            try:
                page.wait_for_url(lambda url: "/login" not in url)
            except PlaywrightTimeout:
                pytest.fail(f"logging in through {superset.url}/login/ as {superset.user} "
                            f"did not leave the login page (log: {superset.log})",
                            pytrace=False)
            # A person who sees a chart fail on a busy machine reloads the page once;
            # what the second load shows is what the tests below read.
            expected = len(SPEC["charts"])

            def every_chart_drawn() -> None:
                """Waits until every chart has drawn (or failed), then for echarts' entry
                animation; on a timeout the assertions below say which did not draw."""
                try:
                    page.wait_for_function(ALL_DRAWN_JS, arg=expected,
                                           timeout=RENDER_TIMEOUT_MS, polling=500)
                    page.wait_for_timeout(1500)
                except PlaywrightTimeout:
                    pass

            for attempt in range(2):
                page.goto(superset.dashboard_url)
                every_chart_drawn()
                # The dashboard can lay its grid out again once its charts have drawn
                # (on a busy machine, with an empty grid for a moment): drawn again.
                every_chart_drawn()
                charts = page.evaluate(CHARTS_JS)
                if len(charts) == expected and all(
                        c["drawn"] and not c["error"] and not c["loading"] for c in charts):
                    break
                first_load = [(c["title"], c["text"][:300]) for c in charts
                              if c["error"] or c["loading"] or not c["drawn"]]
                print(f"load {attempt + 1} of the dashboard: {len(charts)} of {expected}"
                      f" charts shown; not drawn {first_load}")
            # A full-page picture resizes the window, and the dashboard lays its grid out
            # again on a resize: the window is made the page's height first, and the
            # picture taken once every chart has drawn again.
            height = page.evaluate("document.documentElement.scrollHeight")
            page.set_viewport_size({"width": 1400, "height": max(1000, height)})
            every_chart_drawn()
            SCREENSHOT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    return {"charts": charts, "db": superset_db(superset)}


def superset_db(superset) -> Path:
    """The DuckDB file the dashboard's database connection opens (read back from the
    API, so the test checks what Superset was told, not what it was meant to be told)."""
    api = bi.dashboard.Superset(superset.url, superset.user, superset.password)
    found = api.find("database", "database_name", SPEC["database"]["name"])
    assert len(found) == 1, found
    uri = api.call("GET", f"/api/v1/database/{found[0]['id']}/connection")["result"]["sqlalchemy_uri"]
    match = re.fullmatch(r"duckdb:///(/.+)\?access_mode=read_only", uri)
    assert match, f"not a read-only DuckDB connection: {uri}"
    return Path(match.group(1))


def latest_quarter(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute("select ending_arr, nrr from fct_arr_waterfall where period_grain = "
                          "'quarter' order by period_start desc limit 1")
        names = [d[0] for d in cur.description]
        quarter = dict(zip(names, cur.fetchone()))
        quarter["reactivation_rate"] = con.execute(
            "select reactivation_rate from fct_reactivation_rate where period_grain = "
            "'quarter' and dimension = 'all' order by period_start desc limit 1").fetchone()[0]
        return quarter
    finally:
        con.close()


def shown_number(text: str | None) -> float:
    """A big-number tile's text as a number: '$50,217,021' or '98.0%' (a fraction)."""
    assert text, "the tile shows no number"
    match = re.fullmatch(r"\s*(-?)\$?([\d,]+(?:\.\d+)?)\s*(%?)\s*", text)
    assert match, f"unexpected number format: {text!r}"
    value = float(match.group(2).replace(",", ""))
    value = -value if match.group(1) else value
    return value / 100 if match.group(3) else value


def by_title(dashboard_seen) -> dict[str, dict]:
    return {c["title"]: c for c in dashboard_seen["charts"]}


def test_every_chart_renders(dashboard_seen, superset):
    charts = by_title(dashboard_seen)
    assert sorted(charts) == sorted(c["name"] for c in SPEC["charts"]), \
        f"the dashboard shows {sorted(charts)}"
    for title, chart in charts.items():
        assert not chart["error"], f"{title}: {chart['text']}\n(log: {superset.log})"
        assert not chart["loading"], f"{title} is still loading after {RENDER_TIMEOUT_MS} ms"
        assert chart["drawn"], f"{title} drew nothing: {chart['text']!r}"
        assert "No results" not in chart["text"], f"{title}: {chart['text']!r}"
    assert SCREENSHOT.stat().st_size > 50_000


def test_the_connection_is_the_demo_file_read_only(dashboard_seen, demo):
    assert dashboard_seen["db"] == Path(demo[1]).resolve()


def test_headline_tiles_equal_the_marts(dashboard_seen):
    quarter = latest_quarter(dashboard_seen["db"])
    charts = by_title(dashboard_seen)
    names = {c["key"]: c["name"] for c in SPEC["charts"]}
    ending = shown_number(charts[names["ending_arr"]]["headline"])
    assert abs(ending - float(quarter["ending_arr"])) <= 0.5, (ending, quarter["ending_arr"])
    nrr = shown_number(charts[names["nrr"]]["headline"])
    assert nrr == pytest.approx(quarter["nrr"], abs=0.0005 + 1e-9)
    rate = shown_number(charts[names["reactivation_rate"]]["headline"])
    assert rate == pytest.approx(quarter["reactivation_rate"], abs=0.0005 + 1e-9)


def test_the_campaign_table_lists_every_campaign_group(dashboard_seen):
    con = duckdb.connect(str(dashboard_seen["db"]), read_only=True)
    try:
        types = [r[0] for r in con.execute(
            "select campaign_type from fct_campaign_type_performance").fetchall()]
    finally:
        con.close()
    names = {c["key"]: c["name"] for c in SPEC["charts"]}
    text = by_title(dashboard_seen)[names["campaigns"]]["text"]
    for campaign_type in types:
        assert campaign_type in text
