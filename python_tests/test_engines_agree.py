"""Same answers everywhere: the demo data built on DuckDB and on each real warehouse
give the same marts, row by row (money to the cent, rates to 1e-9, everything else
exactly).

Postgres is always checked (scripts/warehouse.py starts a throwaway server). Spark is
checked when WINBACK_ENGINES names it (`make test-spark` does): for example
WINBACK_ENGINES=postgres,spark. WINBACK_<ENGINE>_EXPORT=DIR compares the marts an
earlier `scripts/warehouse.py <engine> --export DIR` run wrote instead of building.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO_CUSTOMERS, DEMO_SEED = 2500, 42  # the Makefile's demo data
ENGINES = [e.strip() for e in os.environ.get("WINBACK_ENGINES", "postgres").split(",") if e.strip()]
SPARK_PYTHON = ROOT / ".tools" / "venv-spark" / "bin" / "python"
MONEY_TOLERANCE = 0.005  # to the cent
RATE_TOLERANCE = 1e-9
# Seeds and models only: the data and unit tests run in `make test-<engine>` and on DuckDB.
BUILD_MODELS = ["build", "--exclude", "resource_type:test", "resource_type:unit_test"]


def _run(cmd: list[str], env: dict, what: str) -> None:
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        lines = (proc.stdout + proc.stderr).splitlines()
        picked = [ln[:400] for ln in lines if "ERROR" in ln or "FAIL" in ln or "Error" in ln]
        tail = [ln[:400] for ln in lines[-40:]]
        pytest.fail(f"{what} failed (rc={proc.returncode}):\n" + "\n".join(picked[:30] + ["..."] + tail),
                    pytrace=False)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    """The Makefile's demo data (data/demo), generated here when absent."""
    demo = ROOT / "data" / "demo"
    if not (demo / "subscription_events.csv").exists():
        demo = tmp_path_factory.mktemp("demo")
        _run([sys.executable, "-m", "winback_data.generate", "--out", str(demo),
              "--customers", str(DEMO_CUSTOMERS), "--seed", str(DEMO_SEED)], dict(os.environ),
             "generating the demo data")
    return demo


def _dbt_env(work: Path) -> dict:
    env = dict(os.environ)
    env.update({"DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs"),
                "DBT_PROFILES_DIR": str(ROOT), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
    return env


# The defaults, and every policy rule off its default at once (each SQL branch a policy
# var selects runs on every engine; keep_arr is a plain filter).
VARIANTS: dict[str, dict] = {
    "defaults": {},
    "policies": {"policy_preset": "stripe", "pause_treatment": "churn_without_reactivation",
                 "reactivation_rule": "after_full_month_at_zero",
                 "short_lived_customers": "exclude", "fx_valuation": "service_start"},
}
_DUCKDB_MARTS: dict[str, dict] = {}
# On Postgres the defaults are built on top of a build under the `policies` vars, so
# that the incremental ARR chain recomputes every customer (the settings changed) in an
# incremental run and must still give DuckDB's full build.
FIRST_BUILD = {("postgres", "defaults"): "policies"}
# Fingerprints are hashes of the engine's own: they differ by design.
ENGINE_SPECIFIC = {"int_incremental_fingerprints"}


@pytest.fixture(scope="module")
def duckdb_marts(demo_dir, tmp_path_factory):
    """Every model outside staging, built on DuckDB under a variant's vars (each built
    once): (rows, {column: kind})."""
    def get(variant: str) -> dict[str, tuple[pd.DataFrame, dict[str, str]]]:
        if variant not in _DUCKDB_MARTS:
            _DUCKDB_MARTS[variant] = _build_duckdb_marts(
                demo_dir, tmp_path_factory.mktemp(f"engine_duckdb_{variant}"),
                VARIANTS[variant])
        return _DUCKDB_MARTS[variant]
    return get


def _build_duckdb_marts(demo_dir: Path, work: Path, vars: dict):
    db_path = work / "winback.duckdb"
    env = _dbt_env(work)
    env.update({"WINBACK_TARGET": "duckdb", "WINBACK_DUCKDB_PATH": str(db_path)})
    _run([str(ROOT / ".venv" / "bin" / "dbt"), *BUILD_MODELS, "--vars",
          json.dumps({"raw_data_dir": str(demo_dir), **vars})], env, "dbt build on DuckDB")
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import warehouse
    finally:
        sys.path.pop(0)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        marts = {}
        for name, schema, identifier in warehouse.built_relations(work / "target"):
            relation = f'"{schema}"."{identifier}"'
            kinds = {row[0].lower(): _kind(row[1])
                     for row in con.execute(f"describe select * from {relation}").fetchall()}
            marts[name] = (con.execute(f"select * from {relation}").df(), kinds)
        return marts
    finally:
        con.close()


_ENGINE_BUILDS: dict[tuple[str, str], Path] = {}


def _engine_build(engine: str, demo_dir: Path, work: Path, variant: str = "defaults") -> Path:
    """The folder of the engine's build of the demo data under a variant's vars (built
    once per session): its marts as export/<model>.parquet and, on Postgres,
    bi_access.json (what the read-only BI role could read)."""
    if (engine, variant) not in _ENGINE_BUILDS:
        python = sys.executable if engine == "postgres" else str(SPARK_PYTHON)
        if not Path(python).exists():
            pytest.fail(f"{python} is missing: run `make setup-spark` first", pytrace=False)
        extra = ["--bi-access-report", str(work / "bi_access.json")] \
            if engine == "postgres" else []
        vars = ["--vars", json.dumps(VARIANTS[variant])] if VARIANTS[variant] else []
        if (engine, variant) in FIRST_BUILD:
            extra += ["--first-build-vars",
                      json.dumps(VARIANTS[FIRST_BUILD[(engine, variant)]])]
        _run([python, str(ROOT / "scripts" / "warehouse.py"), engine, "--raw-dir", str(demo_dir),
              "--export", str(work / "export"), *extra, "--", *BUILD_MODELS, *vars],
             _dbt_env(work), f"dbt build on {engine} ({variant})")
        _ENGINE_BUILDS[(engine, variant)] = work
    return _ENGINE_BUILDS[(engine, variant)]


def _engine_marts(engine: str, demo_dir: Path, work: Path,
                  variant: str = "defaults") -> dict[str, pd.DataFrame]:
    export = os.environ.get(f"WINBACK_{engine.upper()}_EXPORT") if variant == "defaults" else None
    export_dir = (Path(export) if export
                  else _engine_build(engine, demo_dir, work, variant) / "export")
    return {path.stem: pd.read_parquet(path) for path in sorted(export_dir.glob("*.parquet"))}


def test_bi_role_reads_the_marts_and_nothing_else(demo_dir, tmp_path_factory):
    """On Postgres, the read-only role `winback_bi` (granted through the marts' `grants`
    config) can read every mart, and no raw table, seed, staging or intermediate model."""
    work = _engine_build("postgres", demo_dir, tmp_path_factory.mktemp("engine_postgres"))
    seen = json.loads((work / "bi_access.json").read_text())
    layers = {v["layer"] for v in seen.values()}
    assert {"raw", "seed", "staging", "intermediate", "marts"} <= layers
    marts = {k for k, v in seen.items() if v["layer"] == "marts"}
    assert len(marts) >= 15
    readable = {k for k, v in seen.items() if v["readable"]}
    assert readable == marts, sorted(readable ^ marts)
    denied = [v["error"] for v in seen.values() if not v["readable"]]
    assert all("permission denied" in e for e in denied), denied[:3]


# --------------------------------------------------------------------------- comparison

def _kind(duckdb_type: str) -> str:
    """How a column is compared, from its DuckDB type: money (decimals of at most six
    places) to the cent, rates (doubles, finer decimals) to 1e-9, the rest exactly."""
    t = duckdb_type.upper()
    if t.startswith("DECIMAL"):
        scale = int(t.rstrip(")").split(",")[1]) if "," in t else 0
        return "money" if scale <= 6 else "rate"
    if t in ("DOUBLE", "FLOAT", "REAL"):
        return "rate"
    if t in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
             "UINTEGER", "UBIGINT"):
        return "int"
    if t == "BOOLEAN":
        return "bool"
    if t == "DATE":
        return "date"
    if t.startswith("TIMESTAMP"):
        return "timestamp"
    return "text"


def _normalise(value, kind: str):
    """One cell in a form that compares across engines (None for null)."""
    if value is None or value is pd.NaT:
        return None
    if not isinstance(value, (str, bytes)):
        try:
            if pd.isna(value):
                return None
        except (TypeError, ValueError):
            pass
    if kind in ("money", "rate"):
        return float(value)
    if kind == "int":
        return int(value)
    if kind == "bool":
        return bool(value)
    if kind == "timestamp":
        ts = pd.Timestamp(value)
        return (ts.tz_convert("UTC").tz_localize(None) if ts.tzinfo else ts).to_pydatetime()
    if kind == "date":
        return value if type(value) is date else pd.Timestamp(value).date()
    return str(value)


def _rows(frame: pd.DataFrame, kinds: dict[str, str]) -> list[tuple]:
    """The rows, normalised and sorted: by the exact columns first, then by the numbers
    rounded (so that noise below the tolerance cannot reorder rows)."""
    frame = frame.rename(columns=str.lower)
    rows = [tuple(_normalise(v, kinds[c]) for c, v in zip(kinds, record))
            for record in frame[list(kinds)].itertuples(index=False, name=None)]
    exact = [i for i, k in enumerate(kinds.values()) if k not in ("money", "rate")]
    rounded = [(i, 2 if k == "money" else 6) for i, k in enumerate(kinds.values())
               if k in ("money", "rate")]

    def key(row):
        return (tuple((row[i] is None, row[i] if row[i] is not None else 0) for i in exact)
                + tuple((row[i] is None, round(row[i], d) if row[i] is not None else 0)
                        for i, d in rounded))

    return sorted(rows, key=key)


def compare_marts(name: str, duck: pd.DataFrame, kinds: dict[str, str], other: pd.DataFrame,
                  engine: str) -> list[str]:
    """The differences between one model on DuckDB and on another engine."""
    other_columns = [c.lower() for c in other.columns]
    if list(kinds) != other_columns:
        return [f"{name}: columns differ: DuckDB {list(kinds)}, {engine} {other_columns}"]
    if len(duck) != len(other):
        return [f"{name}: {len(duck)} rows on DuckDB, {len(other)} on {engine}"]
    problems: list[str] = []
    for a, b in zip(_rows(duck, kinds), _rows(other, kinds)):
        for column, x, y in zip(kinds, a, b):
            if x is None or y is None:
                same = x is None and y is None
            elif kinds[column] == "money":
                same = abs(x - y) <= MONEY_TOLERANCE
            elif kinds[column] == "rate":
                same = abs(x - y) <= RATE_TOLERANCE
            else:
                same = x == y
            if not same:
                problems.append(f"{name}.{column}: DuckDB {x!r}, {engine} {y!r}\n"
                                f"  DuckDB row: {a}\n  {engine} row: {b}")
                break
        if len(problems) >= 5:
            problems.append(f"{name}: ... and maybe more")
            break
    return problems


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("engine", ENGINES)
def test_engine_gives_the_same_marts(engine, variant, demo_dir, duckdb_marts, tmp_path_factory):
    marts = _engine_marts(engine, demo_dir,
                          tmp_path_factory.mktemp(f"engine_{engine}_{variant}"), variant)
    duck_marts = duckdb_marts(variant)
    problems = [f"{name}: built on DuckDB, missing on {engine}"
                for name in sorted(set(duck_marts) - set(marts))]
    for name, (duck, kinds) in duck_marts.items():
        if name in marts and name not in ENGINE_SPECIFIC:
            problems += compare_marts(name, duck, kinds, marts[name], engine)
    assert not problems, "\n".join(problems)


# Text the staging parsers must read the same way everywhere: good values in every
# accepted spelling, and bad ones that must come back null, never stop the query.
# (Two DuckDB quirks are left out: it reads year 0000 as 1 BC and `0x10` as 16; the
# other engines give null.)
PARSER_CASES = [
    "2024-01-15", "2024-01-15T10:20", "2024-01-15 10:20:30", "2024-01-15T10:20:30.5",
    "2024-01-15T10:20:30.1234567", "2024-01-15T10:20:30.9999995", "2024-01-15T10:20:30Z",
    "2024-01-15T10:20:30z", "2024-01-15T10:20:30+02:00", "2024-01-15T10:20:30 +02:00",
    "2024-01-15T10:20:30-0500", "2024-01-15T10:20:30+05", "2024-01-15T10:20+05:30",
    "2024-01-15T23:30:00-05:00", "2024-02-29", "2023-02-29", "2024-02-30", "2024-13-45T99:00",
    "2024-04-31", "2024-01-15T24:00:00", "2024-01-15T24:00:01", "2024-01-15T23:60:00",
    "2024-01-15T23:59:60", "1900-01-01", "9999-12-31T23:59:59Z", "2024-1-5", "2024/01/15",
    "20240115", "2024-01-15T10", "2024-01-15T10:20:30+25:00", "2024-01-15T10:20:30+02:75", "abc",
    "1", "-1", "+1", "1.5", ".5", "5.", "1e3", "1E-2", " 12 ", "12,3x", "1,000", "$1", "nan",
    "inf", "12345678901234567890123", "1234567890123456789012", "1.1234567", "", " ", "-", "--1",
    "1.2.3", "1_000", "2.5", "-2.5", "9223372036854775807", "9223372036854775808", "1e999", "0.0000001",
]


def _show(cmd: list[str], env: dict, what: str) -> dict[str, dict]:
    """The rows `dbt show --output json` printed, by their input text x."""
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    text = proc.stdout
    if proc.returncode != 0 or '"show"' not in text:
        pytest.fail(f"{what} failed (rc={proc.returncode}):\n{(text + proc.stderr)[-3000:]}",
                    pytrace=False)
    start = text.rindex("{", 0, text.index('"show"'))
    rows = json.JSONDecoder().raw_decode(text[start:])[0]["show"]
    return {row["x"]: row for row in rows}


def _parsed_value(column: str, value):
    if value is None:
        return None
    if column == "ts":
        return pd.Timestamp(value).isoformat()
    if column == "num":
        return int(value)
    return Decimal(str(value)).normalize()


@pytest.mark.parametrize("engine", ENGINES)
def test_parsers_read_text_the_same_way(engine, tmp_path_factory):
    """parse_timestamp_utc, parse_decimal and parse_integer give DuckDB's values (or null)
    on every engine, for good and bad text alike."""
    selects = " union all ".join(
        "select '" + v.replace("'", "''") + "' as x" for v in PARSER_CASES)
    sql = ("select x, {{ parse_timestamp_utc('x') }} as ts, {{ parse_decimal('x') }} as dec,"
           " {{ parse_decimal('x', rate_type()) }} as rate, {{ parse_integer('x') }} as num"
           f" from ({selects}) as cases")
    show = ["show", "--inline", sql, "--limit", str(len(PARSER_CASES) + 1), "--output", "json",
            "--quiet"]
    work = tmp_path_factory.mktemp(f"parsers_{engine}")
    env = _dbt_env(work)
    env.update({"WINBACK_TARGET": "duckdb", "WINBACK_DUCKDB_PATH": str(work / "w.duckdb")})
    expected = _show([str(ROOT / ".venv" / "bin" / "dbt"), *show], env, "dbt show on DuckDB")
    python = sys.executable if engine == "postgres" else str(SPARK_PYTHON)
    actual = _show([python, str(ROOT / "scripts" / "warehouse.py"), engine, "--skip-load", "--",
                    *show], _dbt_env(work), f"dbt show on {engine}")
    assert set(actual) == set(expected) == set(PARSER_CASES)
    problems = []
    for text, row in expected.items():
        for column in ("ts", "dec", "rate", "num"):
            want, got = _parsed_value(column, row[column]), _parsed_value(column, actual[text][column])
            if want != got:
                problems.append(f"{column}({text!r}): DuckDB {want}, {engine} {got}")
    assert not problems, "\n".join(problems)
    # and the bad text is null, not an error
    assert expected["2024-02-30"]["ts"] is None and actual["2024-13-45T99:00"]["ts"] is None


def test_comparison_catches_a_cent_and_a_rate():
    """The comparison itself: row order and noise below the tolerances do not count; a
    cent, a rate off by more than 1e-9, a changed text or a missing row do."""
    duck = pd.DataFrame({"k": ["a", "b"], "m": [1.0, 2.5], "r": [0.5, None]})
    kinds = {"k": "text", "m": "money", "r": "rate"}

    def other(**changes):
        frame = pd.DataFrame({"K": ["b", "a"], "M": [2.5, 1.0], "R": [None, 0.5]})
        for column, (row, value) in changes.items():
            frame.loc[row, column] = value
        return frame

    assert compare_marts("t", duck, kinds, other(), "x") == []
    assert compare_marts("t", duck, kinds, other(M=(1, 1.004)), "x") == []
    assert compare_marts("t", duck, kinds, other(M=(1, 1.01)), "x")
    assert compare_marts("t", duck, kinds, other(R=(1, 0.5 + 1e-8)), "x")
    assert compare_marts("t", duck, kinds, other(R=(0, 0.1)), "x")
    assert compare_marts("t", duck, kinds, other(K=(0, "c")), "x")
    assert compare_marts("t", duck, kinds, other().iloc[:1], "x")
