"""pytest harness: build the dbt project on a raw folder in a subprocess and read its marts.

Every scenario (a generated raw folder of one size) and every (scenario, vars) build
happens once per session and is shared by all test files through `scenarios`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import date
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


def run_dbt_build(raw_dir, db_path, vars: dict | None = None, select: str | None = None,
                  expect_fail: bool = False) -> subprocess.CompletedProcess:
    """`dbt build` of the project on raw_dir into the DuckDB file db_path.

    Runs in a subprocess from the project root (the DuckDB file must not be held open by
    this process while dbt writes it), with its own target and log folders so that
    builds can run side by side. YAML unit tests are left to the main build.
    """
    all_vars = {"raw_data_dir": str(raw_dir), **(vars or {})}
    work = Path(tempfile.mkdtemp(prefix="winback_dbt_"))
    env = dict(os.environ)
    env.update({
        "WINBACK_DUCKDB_PATH": str(db_path),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    })
    cmd = [str(DBT), "build", "--vars", json.dumps(all_vars), "--exclude", "test_type:unit",
           "--profiles-dir", str(ROOT)]
    if select:
        cmd += ["--select", *select.split()]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-60:])
    if expect_fail:
        assert proc.returncode != 0, f"dbt build was expected to fail but passed:\n{tail}"
    else:
        assert proc.returncode == 0, (
            f"dbt build failed (rc={proc.returncode}) on {raw_dir} with vars {all_vars}:\n{tail}")
    return proc


def read_table(db_path, name: str) -> pd.DataFrame:
    """A table of schema main, read through a read-only connection closed afterwards."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(f'select * from main."{name}"').df()
    finally:
        con.close()


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
            run_dbt_build(self.raw_dir(size), db_path, self.vars(key), select=select)
            self._built[(size, key)] = db_path
        return self._built[(size, key)]

    def oracle(self, size: str, key: str):
        import oracle

        if (size, key) not in self._oracle:
            self._oracle[(size, key)] = oracle.run_oracle(self.raw_dir(size), self.vars(key))
        return self._oracle[(size, key)]


@pytest.fixture(scope="session")
def scenarios(tmp_path_factory) -> Scenarios:
    return Scenarios(tmp_path_factory.mktemp("scenarios"))
