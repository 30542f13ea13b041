"""pytest harness: build the dbt project on a raw folder in a subprocess and read its marts.

Every scenario (a generated raw folder of one size) and every (scenario, vars) build
happens once per session and is shared by all test files through `scenarios`.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
DBT = ROOT / ".venv" / "bin" / "dbt"
if str(ROOT) not in sys.path:  # so that `winback_data.generate` imports
    sys.path.insert(0, str(ROOT))

# Generated scenarios: three sizes, two to four years of history each.
SIZES: dict[str, dict] = {
    "small": dict(customers=30, seed=7, start=date(2022, 1, 1), end=date(2023, 12, 31)),
    "mid": dict(customers=150, seed=42, start=date(2021, 7, 1), end=date(2024, 6, 30)),
    "large": dict(customers=600, seed=2024, start=date(2021, 1, 1), end=date(2024, 12, 31)),
}

# The policy vars the movement oracle is compared under. Default vars on every size;
# every movement_grain x reactivation_window_months combination on the mid size.
VAR_SETS: dict[str, dict] = {
    "default": {},
    "day_w12": {"movement_grain": "day", "reactivation_window_months": 12},
    "day_wnone": {"movement_grain": "day", "reactivation_window_months": None},
    "month_w12": {"movement_grain": "month", "reactivation_window_months": 12},
    "month_w24": {"movement_grain": "month", "reactivation_window_months": 24},
    "month_wnone": {"movement_grain": "month", "reactivation_window_months": None},
}
CASES: list[tuple[str, str]] = [(size, "default") for size in SIZES] + [
    ("mid", key) for key in VAR_SETS if key != "default"
]
CASE_IDS = [f"{size}-{key}" for size, key in CASES]

# Non-default builds only need the revenue marts and what feeds them.
REVENUE_SELECT = "+fct_arr_movements +fct_arr_waterfall +fct_arr_waterfall_by_segment"


def dbt_build_command(raw_dir, db_path, work, vars: dict | None = None,
                      select: str | None = None, unit_tests: bool = False
                      ) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of a `dbt build` of the project on raw_dir into
    the DuckDB file db_path, with its target and log folders under work (so that builds
    can run side by side). Run it from the project root (test_interrupted_builds.py), or
    add `--project-dir` (run_dbt_build, which runs it from a folder of its own)."""
    all_vars = {"raw_data_dir": str(raw_dir), **(vars or {})}
    work = Path(work)
    env = dict(os.environ)
    env.update({
        "WINBACK_DUCKDB_PATH": str(db_path),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    })
    cmd = [str(DBT), "build", "--vars", json.dumps(all_vars), "--profiles-dir", str(ROOT)]
    if not unit_tests:
        cmd += ["--exclude", "test_type:unit"]
    if select:
        # cautious: run only the tests whose every parent is built in this selection
        cmd += ["--select", *select.split(), "--indirect-selection", "cautious"]
    return cmd, env


# dbt parses the project afresh (about 7 s on two cores) unless target/partial_parse.msgpack
# holds a parse made with the same command-line vars and the same connection settings.
# So a build runs from a folder of its own in which the raw folder is the link `raw` and
# the DuckDB file a link of its own name: builds with the same vars and the same file
# name then give dbt the same vars and path, and the parse the first of them made is
# reused (copied from PARSE_CACHE, one file per vars and file name).
PARSE_CACHE = Path(tempfile.mkdtemp(prefix="winback_parse_cache_"))


def _link_raw(folder: Path, raw_dir) -> None:
    """The link `raw` in folder, to raw_dir: the raw folder as run_dbt_build names it."""
    (folder / "raw").symlink_to(Path(raw_dir).resolve(), target_is_directory=True)


def run_dbt_build(raw_dir, db_path, vars: dict | None = None, select: str | None = None,
                  expect_fail: bool = False, unit_tests: bool = False
                  ) -> subprocess.CompletedProcess:
    """`dbt build` of the project on raw_dir into the DuckDB file db_path.

    Runs in a subprocess (the DuckDB file must not be held open by this process while
    dbt writes it), with its own target and log folders so that builds can run side by
    side, from a folder where `raw` links to raw_dir and the file's name to db_path
    (see PARSE_CACHE): the raw files are named `raw/...` in the build's tables and
    messages, and the views over the raw files read them relative to the process's
    folder. YAML unit tests are left to the main build unless unit_tests is set (the
    configuration matrix runs them under every var set).
    """
    db_path = Path(db_path).resolve()
    work = Path(tempfile.mkdtemp(prefix="winback_dbt_"))
    _link_raw(work, raw_dir)
    (work / db_path.name).symlink_to(db_path)
    cmd, env = dbt_build_command("raw", db_path.name, work, vars, select, unit_tests)
    cmd += ["--project-dir", str(ROOT)]
    key = hashlib.sha256(json.dumps([vars or {}, db_path.name], sort_keys=True).encode())
    cached = PARSE_CACHE / key.hexdigest()[:16] / "partial_parse.msgpack"
    parse_file = work / "target" / "partial_parse.msgpack"
    if cached.exists():
        parse_file.parent.mkdir(parents=True)
        parse_file.write_bytes(cached.read_bytes())
    proc = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True)
    if not cached.exists() and parse_file.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(parse_file.read_bytes())
    # DuckDB writes its log beside the path it opened: one left behind (a build that
    # stopped before closing the file) goes beside the file itself.
    wal = work / f"{db_path.name}.wal"
    if wal.exists():
        wal.replace(db_path.with_name(wal.name))
    if (proc.returncode != 0) != expect_fail:
        all_vars = {"raw_data_dir": str(raw_dir), **(vars or {})}
        what = "was expected to fail but passed" if expect_fail else \
            f"failed (rc={proc.returncode})"
        pytest.fail(f"dbt build {what} on {raw_dir} with vars {all_vars} (run in {work}):\n"
                    f"{_log_tail(proc.stdout + proc.stderr)}", pytrace=False)
    return proc


@contextmanager
def raw_views_readable(raw_dir):
    """For as long as the block runs, the process works in a folder where `raw` is
    raw_dir: the views over the raw files (schema raw) that a build of run_dbt_build
    leaves name the files `raw/...`, relative to the process's folder."""
    folder = Path(tempfile.mkdtemp(prefix="winback_raw_views_"))
    _link_raw(folder, raw_dir)
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def _log_tail(log: str, n: int = 40) -> str:
    """The lines of a dbt log that say what went wrong: its failures and its summary."""
    lines = log.splitlines()
    picked = [ln for ln in lines if " FAIL " in ln or " ERROR " in ln]
    return "\n".join(picked[:20] + ["..."] + lines[-n:])


def read_table(db_path, name: str) -> pd.DataFrame:
    """A table of schema main, read through a read-only connection closed afterwards."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(f'select * from main."{name}"').df()
    finally:
        con.close()


def mart_digests(db_path) -> dict[str, str]:
    """A digest of every mart's rows (tables fct_, dim_ and dq_ of schema main) in a fixed
    order, as text; read through a read-only connection closed afterwards."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main'"
            " and regexp_matches(table_name, '^(fct|dim|dq)_') order by 1").fetchall()]
        digests = {}
        for name in names:
            rows = con.execute(f'select * from main."{name}"').fetchall()
            text = "\n".join(sorted(repr(r) for r in rows))
            digests[name] = hashlib.sha256(text.encode()).hexdigest()
        return digests
    finally:
        con.close()


def _edge_histories(start: date, end: date) -> dict[str, tuple[str, list[tuple]]]:
    """Hand-written accounts that exercise the rules the generated data rarely reaches:
    returns 200, 450 and 800 days after a churn (so reactivation_window_months 12, 24 and
    null classify them differently), a return exactly on / one day after the 12-month
    window end, same-day netting, a start and cancel inside one month, tie-breaks, a
    trial, a pause in EUR and a cancellation scheduled after as_of.

    customer -> (segment, [(event_type, effective, occurred, billing_period, amount,
    currency, ingested)]) with datetimes; occurred None means = effective.
    """
    S = datetime.combine(start, datetime.min.time()).replace(hour=10)
    day = timedelta(days=1)
    jan31 = datetime(start.year, 1, 31, 10) if start <= date(start.year, 1, 11) else \
        datetime(start.year + 1, 1, 31, 10)
    m0 = datetime(start.year, start.month, 1, 10) + timedelta(days=95)  # a month's start
    m0 = m0.replace(day=5)
    E = datetime.combine(end, datetime.min.time())
    st, ch, rn, ca, pa, re = ("subscription_started", "plan_changed", "renewed", "cancelled",
                              "subscription_paused", "subscription_resumed")
    return {
        "ZX01": ("smb", [(st, S + 10 * day, None, "month", 100, "USD", None),
                         (ca, S + 70 * day, S + 50 * day, "", None, "", None),
                         (st, S + 270 * day, None, "month", 120, "USD", None)]),
        "ZX02": ("mid_market", [(st, S + 15 * day, None, "month", 200, "USD", None),
                                (ca, S + 45 * day, S + 30 * day, "", None, "", None),
                                (st, S + 495 * day, None, "month", 200, "USD", None)]),
        "ZX03": ("Enterprise", [(st, S + 20 * day, None, "month", 50, "USD", None),
                                (ca, S + 40 * day, None, "", None, "", None),
                                (st, S + 840 * day, None, "month", 60, "USD", None)]),
        "ZX04": ("SMB", [(st, jan31 - 70 * day, None, "month", 30, "USD", None),
                         (ca, jan31, jan31 - 5 * day, "", None, "", None),
                         (st, jan31.replace(year=jan31.year + 1), None, "month", 30, "USD",
                          None)]),
        "ZX05": ("smb", [(st, jan31 - 70 * day, None, "month", 40, "USD", None),
                         (ca, jan31, jan31 - 5 * day, "", None, "", None),
                         (st, jan31.replace(year=jan31.year + 1) + day, None, "month", 40,
                          "USD", None)]),
        "ZX06": ("smb", [(st, S + 30 * day, None, "month", 100, "USD", None),
                         (ca, S + 100 * day, S + 90 * day, "", None, "", None),
                         (st, S + 100 * day + timedelta(hours=5), None, "month", 150, "USD",
                          None)]),
        "ZX07": ("smb", [(st, m0, None, "month", 300, "USD", None),
                         (ca, m0 + 15 * day, m0 + 2 * day, "", None, "", None)]),
        "ZX08": ("mid_market", [(st, S + 40 * day, None, "month", 100, "USD", None),
                                (ch, S + 120 * day, S + 110 * day, "month", 300, "USD", None),
                                (ch, S + 120 * day, S + 115 * day, "month", 200, "USD", None),
                                (ch, S + 150 * day, S + 149 * day, "month", 500, "USD",
                                 S + 149 * day + timedelta(hours=2)),
                                (ch, S + 150 * day, S + 149 * day, "month", 400, "USD",
                                 S + 149 * day + timedelta(hours=1))]),
        "ZX09": ("smb", [(st, S + 50 * day, None, "month", 0, "USD", None),
                         (ch, S + 64 * day, None, "Monthly", 80, "USD", None),
                         (ch, S + 200 * day, None, "month", 0, "USD", None)]),
        "ZX10": ("enterprise", [(st, S + 60 * day, None, "month", 90, "eur", None),
                                (pa, S + 150 * day, S + 140 * day, "", None, "", None),
                                (re, S + 200 * day, None, "month", 90, "EUR", None)]),
        "ZX11": ("smb", [(st, S + 100 * day, None, "month", 50, "USD", None),
                         (ca, E + 60 * day, E - 20 * day, "", None, "", None)]),
        "ZX12": ("enterprise", [("customer.subscription.created", S + 5 * day, None, "Annual",
                                 12000, "USD", None),
                                (rn, S + 370 * day, None, "year", 12000, "USD", None),
                                (ch, S + 380 * day, None, "quarterly", 3500, "USD", None)]),
    }


def iso(t: datetime) -> str:
    """A naive ISO 8601 timestamp, as the raw contract writes one without an offset."""
    return t.strftime("%Y-%m-%dT%H:%M:%S")


def add_edge_customers(raw_dir: Path, start: date, end: date) -> None:
    """Append the edge accounts that fit in [start, end - 5 days] to a generated folder
    (valid rows only: the generator's answer key of rejections stays right)."""
    raw_dir = Path(raw_dir)
    last = datetime.combine(end, datetime.min.time()) - timedelta(days=5)
    events, customers, n = [], [], 0
    for cust, (segment, history) in _edge_histories(start, end).items():
        if any((occ or eff) > last for _, eff, occ, *_ in history):
            continue  # does not fit in this scenario's range
        customers.append({"customer_id": cust, "customer_name": f"Edge {cust}",
                          "email": f"{cust.lower()}@edge.example", "segment": segment,
                          "country": "US", "created_at": iso(history[0][1])})
        sub = 0
        for etype, eff, occ, period, amount, cur, ing in history:
            n += 1
            occ = occ or eff
            sub += etype in ("subscription_started", "customer.subscription.created")
            events.append({
                "event_id": f"EEDGE{n:04d}", "customer_id": cust,
                "subscription_id": f"{cust}-S{sub}",
                "event_type": etype, "effective_at": iso(eff), "occurred_at": iso(occ),
                "plan_id": "edge", "billing_period": period,
                "amount": "" if amount is None else f"{amount:.2f}", "currency": cur,
                "discount_pct": "", "churn_reason": "too expensive" if etype == "cancelled" else "",
                "churn_reason_secondary": "", "ingested_at": iso(ing or occ + timedelta(hours=1))})
    for table, rows in (("subscription_events", events), ("customers", customers)):
        path = raw_dir / f"{table}.csv"
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        pd.concat([df, pd.DataFrame(rows, columns=df.columns)]).to_csv(
            path, index=False, lineterminator="\n")


class Scenarios:
    """Session cache of generated raw folders, dbt builds and oracle results."""

    def __init__(self, base: Path):
        self.base = base
        self._raw: dict[str, Path] = {}
        self._built: dict[tuple[str, str], Path] = {}
        self._oracle: dict[tuple[str, str], object] = {}

    def raw_dir(self, size: str) -> Path:
        if size not in self._raw:
            from winback_data.generate import generate  # written in parallel; import late

            out = self.base / f"raw_{size}"
            generate(out, bad_rows=True, fmt="csv", **SIZES[size])
            add_edge_customers(out, SIZES[size]["start"], SIZES[size]["end"])
            self._raw[size] = out
        return self._raw[size]

    def vars(self, key: str) -> dict:
        return dict(VAR_SETS[key])

    def db(self, size: str, key: str) -> Path:
        """The DuckDB file of one (size, vars) build; built on first use."""
        if (size, key) not in self._built:
            db_path = self.base / f"{size}_{key}.duckdb"
            # default vars: the whole project (its data tests guard the marts too);
            # other vars: only the revenue marts, to keep the suite's runtime modest.
            select = None if key == "default" else REVENUE_SELECT
            try:
                run_dbt_build(self.raw_dir(size), db_path, self.vars(key), select=select)
                self._built[(size, key)] = db_path
            except pytest.fail.Exception as exc:  # remembered: a failed build runs once
                self._built[(size, key)] = exc
        result = self._built[(size, key)]
        if isinstance(result, BaseException):
            pytest.fail(str(result), pytrace=False)
        return result

    def oracle(self, size: str, key: str):
        import oracle

        if (size, key) not in self._oracle:
            self._oracle[(size, key)] = oracle.run_oracle(self.raw_dir(size), self.vars(key))
        return self._oracle[(size, key)]


# `make pytest` runs the files on two workers (pytest-xdist, `--dist loadgroup`). A
# worker runs a file's tests together, so a module's builds are made once; the files that
# read one of these session fixtures run on one worker, so its builds are made once too.
SHARED_FIXTURES = ("scenarios", "demo")


# First: xdist's own hook of the same name reads the marks to name each test's group.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Group every test by its file, and the files that share a fixture of
    SHARED_FIXTURES into one group (xdist_group marks, read by `--dist loadgroup`)."""
    group = {}  # file -> the group it joins; files are joined along shared fixtures
    first_user = {}  # fixture -> the first file seen reading it

    def find(f):
        while group.setdefault(f, f) != f:
            f = group[f]
        return f

    for item in items:
        f = item.nodeid.split("::")[0]
        find(f)
        for name in SHARED_FIXTURES:
            if name in item.fixturenames:
                group[find(f)] = find(first_user.setdefault(name, f))
    for item in items:
        item.add_marker(pytest.mark.xdist_group(find(item.nodeid.split("::")[0])))


@pytest.fixture(scope="session")
def scenarios(tmp_path_factory) -> Scenarios:
    return Scenarios(tmp_path_factory.mktemp("scenarios"))


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """`make demo`, as the README gives it, into a scratch DuckDB file: its printed
    output and the DuckDB file (the report is written beside it)."""
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    env = dict(os.environ, WINBACK_DUCKDB_PATH=str(db))
    proc = subprocess.run(["make", "--no-print-directory", "demo"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout, db
