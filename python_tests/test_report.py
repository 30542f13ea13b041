"""The report `make demo` writes, opened as a person would: in Debian's headless
Chromium (driven by playwright, with no browser download). The numbers on the page must
equal the marts, the page must load nothing from the network, the win-back curves must
leave unobservable points out, and a DuckDB 1.4 (as embedded by BI tools) must open the
marts file."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DUCKDB14 = ROOT / ".tools" / "venv-duckdb14" / "bin" / "python"
SCREENSHOT = ROOT / "target" / "winback_report.png"
KEYS = {
    "fct_arr_waterfall": ["period_grain", "period_start"],
    "fct_reactivation_rate": ["period_grain", "period_start", "dimension", "dimension_value"],
    "fct_campaign_type_performance": ["campaign_type", "target_segment", "channel"],
    "fct_winback_targets": ["customer_id"],
    "dq_reconciliation": ["source_table"],
}


@pytest.fixture(scope="module")
def page_seen(demo):
    """Open the report in headless Chromium: every request the page made, the cells
    and curves read from its DOM, and a full-page screenshot under target/."""
    from playwright.sync_api import sync_playwright

    out, db = demo
    report = Path(db).parent / "winback_report.html"
    assert f"report: {report}" in out, "make demo does not print the report's path"
    requests = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(report.as_uri(), wait_until="load")
            cells = page.eval_on_selector_all(
                "td[data-mart]", "els => els.map(e => ({mart: e.dataset.mart, "
                "key: e.dataset.key, column: e.dataset.column, value: e.dataset.value, "
                "shown: e.textContent, visible: e.offsetWidth > 0}))")
            curves = page.eval_on_selector_all(
                "polyline[data-cohort]", "els => els.map(e => ({cohort: e.dataset.cohort, "
                "points: e.points.numberOfItems}))")
            headings = page.eval_on_selector_all("h2", "els => els.map(e => e.textContent)")
            SCREENSHOT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    return {"requests": requests, "cells": cells, "curves": curves, "headings": headings,
            "db": db, "report": report}


def test_the_page_loads_nothing_but_itself(page_seen):
    assert page_seen["requests"] == [page_seen["report"].as_uri()]
    html = page_seen["report"].read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert SCREENSHOT.stat().st_size > 20_000


def test_every_section_is_there(page_seen):
    text = " ".join(page_seen["headings"])
    for section in ("ARR bridge", "Monthly ARR movements", "Win-back curves",
                    "Reactivation and win-back rate", "Campaigns", "Win-back targets",
                    "Data quality"):
        assert section in text


def _mart_values(db: Path, mart: str) -> dict[tuple[str, str], object]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute(f"select * from {mart}")
        names = [d[0] for d in cur.description]
        values = {}
        for row in cur.fetchall():
            record = dict(zip(names, row))
            key = "|".join(str(record[k]) for k in KEYS[mart])
            for column, value in record.items():
                values[(key, column)] = value
        return values
    finally:
        con.close()


def test_numbers_on_the_page_equal_the_marts(page_seen):
    cells = page_seen["cells"]
    marts = {c["mart"] for c in cells}
    assert marts == set(KEYS), marts
    problems = []
    for mart in marts:
        values = _mart_values(page_seen["db"], mart)
        for c in (c for c in cells if c["mart"] == mart):
            want = values.get((c["key"], c["column"]), "(no such row)")
            got = c["value"]
            if want is None:
                ok = got == ""
            elif isinstance(want, str) or want == "(no such row)":
                ok = got == str(want)
            elif hasattr(want, "isoformat"):
                ok = got == str(want)
            else:
                ok = got != "" and math.isclose(float(got), float(want), rel_tol=1e-12)
            if not ok or not c["visible"]:
                problems.append(f"{mart} {c['key']} {c['column']}: page {got!r} "
                                f"({c['shown']!r}), mart {want!r}")
    assert not problems, "\n".join(problems[:20])
    # the bridge's headline is shown as money, rounded to the dollar
    ending = next(c for c in cells if c["mart"] == "fct_arr_waterfall"
                  and c["column"] == "ending_arr")
    assert ending["shown"] == f"${float(ending['value']):,.0f}"


def test_win_back_curves_leave_unobservable_points_out(page_seen):
    con = duckdb.connect(str(page_seen["db"]), read_only=True)
    try:
        observed = dict(con.execute(
            "select cast(churn_month as varchar), "
            + " + ".join(f"(reactivation_rate_{d}d is not null)::int"
                         for d in (30, 60, 90, 180, 365, 730))
            + " from fct_reactivation_cohorts").fetchall())
    finally:
        con.close()
    curves = {c["cohort"]: c["points"] for c in page_seen["curves"]}
    with_points = sorted(k for k, v in observed.items() if v > 0)
    assert sorted(curves) == with_points[-12:]  # the latest twelve cohorts
    assert all(curves[k] == observed[k] for k in curves)
    # the latest cohorts are censored: some curves must be shorter than others
    assert min(curves.values()) < max(curves.values())


def test_a_duckdb_1_4_reader_opens_the_marts_file(demo):
    _, db = demo
    con = duckdb.connect(str(db), read_only=True)
    try:
        marts = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main'"
            " and regexp_matches(table_name, '^(fct|dim|dq)_') order by 1").fetchall()]
        want = {m: con.execute(f"select count(*) from {m}").fetchall()[0][0] for m in marts}
    finally:
        con.close()
    script = ("import duckdb, json, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
              "print(json.dumps({'version': duckdb.__version__, 'counts': {m: c.execute("
              "f'select count(*) from {m}').fetchall()[0][0] for m in sys.argv[2:]}}))")
    proc = subprocess.run([str(DUCKDB14), "-c", script, str(db), *marts],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    seen = json.loads(proc.stdout)
    assert seen["version"].startswith("1.4.")
    assert seen["counts"] == want and len(marts) >= 15
