"""The key test `unique_combination` reports every key given more than once, and no
other: its body (macro key_copies) on DuckDB finds the repeated keys by a hash first,
and must give the same keys and counts as the portable group per key and as pandas,
on random rows whose keys repeat, hold nulls and differ in one part only. dbt's
`unique` test, whose DuckDB form is the project's (macro duckdb__test_unique), must
report the same values as dbt's own form and as pandas, nulls left out."""

from __future__ import annotations

import json
import os
import random
import subprocess
from datetime import date, timedelta

import pandas as pd
import pytest

from conftest import DBT, ROOT

KEY = ["k_number", "k_text", "k_day"]


def _rows(seed: int, n: int = 400) -> list[tuple]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        rows.append((rng.randint(1, 60),
                     rng.choice(["a", "b", "cus_000123", None]),
                     rng.choice([date(2024, 1, 1) + timedelta(days=d) for d in range(3)]
                                + [None])))
    # A key given three times and one given by a single row.
    rows += [(999, "x", date(2025, 5, 5))] * 3 + [(1000, "y", None)]
    return rows


def _literal(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, date):
        return f"date '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value)


def _dbt(command: str, rows, call: str, tmp_path) -> str:
    """The output of `dbt <command> --inline` of a macro call on `keyed`, the rows."""
    values = ", ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in rows)
    inline = ("{% set keyed %}(select * from (values " + values + ") as keyed("
              + ", ".join(KEY) + ")){% endset %}{{ " + call + " }}")
    env = dict(os.environ)
    env.update({"WINBACK_DUCKDB_PATH": str(tmp_path / "keys.duckdb"),
                "DBT_TARGET_PATH": str(tmp_path / "target"),
                "DBT_LOG_PATH": str(tmp_path / "logs")})
    options = ["--output", "json", "--limit", "-1"] if command == "show" else []
    proc = subprocess.run(
        [str(DBT), command, "--quiet", *options, "--inline", inline,
         "--profiles-dir", str(ROOT), "--vars",
         json.dumps({"raw_data_dir": str(ROOT / "data" / "demo")})],
        cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    return proc.stdout


def _shown(rows, call: str, names: list[str], tmp_path) -> pd.DataFrame:
    shown = _dbt("show", rows, call, tmp_path)
    records = json.loads(shown[shown.index("{"):])["show"]
    return pd.DataFrame([list(record.values()) for record in records], columns=names)


def _key_copies(rows, macro: str, columns: list[str], tmp_path) -> pd.DataFrame:
    shown = _shown(rows, f"{macro}(keyed, {json.dumps(columns)})", [*columns, "copies"],
                   tmp_path)
    return _normalised(shown, columns)


def _normalised(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    frame = frame.astype({c: "string" for c in columns}).astype({"copies": "int64"})
    return frame.sort_values(columns, na_position="first").reset_index(drop=True)


def _expected(rows, columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=KEY)
    frame["k_day"] = frame["k_day"].map(lambda d: d.isoformat() if d else None)
    sizes = frame.groupby(columns, dropna=False).size().rename("copies").reset_index()
    return _normalised(sizes[sizes["copies"] > 1], columns)


@pytest.mark.parametrize("columns", [KEY, ["k_number", "k_text"]])
def test_key_copies_match_a_group_per_key(columns, tmp_path):
    rows = _rows(seed=len(columns))
    expected = _expected(rows, columns)
    assert len(expected) > 3 and expected["copies"].max() >= 3
    assert expected[columns].isna().any(axis=None), "a repeated key holds a null"
    # Keys given once are never reported: the rows hold such keys.
    assert len(pd.DataFrame(rows, columns=KEY).drop_duplicates(columns)) > len(expected)
    for macro in ["key_copies", "default__key_copies"]:
        pd.testing.assert_frame_equal(_key_copies(rows, macro, columns, tmp_path), expected,
                                      obj=macro)


@pytest.mark.parametrize("column", ["k_number", "k_text", "k_day"])
def test_unique_reports_the_repeated_values_as_dbt_does(column, tmp_path):
    # Nulls given twice, and a value of each column given once.
    rows = _rows(seed=7) + [(None, None, None)] * 2 + [(1001, "z", date(2026, 1, 1))]
    given = pd.Series([row[KEY.index(column)] for row in rows], dtype=object).map(
        lambda v: None if v is None else v.isoformat() if isinstance(v, date) else str(v))
    counts = given.dropna().value_counts()
    expected = _normalised(
        counts[counts > 1].rename_axis("value").rename("copies").reset_index(), ["value"])
    assert len(expected) > 1 and given.isna().sum() > 1, "repeated values and nulls"
    assert given.dropna().nunique() > len(expected), "values given once"
    for macro in ["test_unique", "dbt.default__test_unique"]:
        shown = _shown(rows, f"{macro}(keyed, '{column}')", ["value", "copies"], tmp_path)
        pd.testing.assert_frame_equal(_normalised(shown, ["value"]), expected, obj=macro)
    if column == "k_text":  # on DuckDB dbt's `unique` is the project's form
        assert "value_hash" in _dbt("compile", rows, f"test_unique(keyed, '{column}')",
                                    tmp_path)
