"""The configuration matrix: the whole project off the demo's defaults.

Each configuration is one documented var value (or an explicit as_of_date, another
reporting currency with rates in that currency, or a policy preset) on the demo data. For each, the whole
`dbt build` runs: seeds, models, every data test and every YAML unit test, so a unit
test whose fixture assumes a var value it does not pin fails here. Then the pandas
oracle, run with the same vars on the same raw files, must agree with the revenue marts
(movements, both waterfalls) and the reactivation marts (churn episodes, revenue and
usage reactivation rates, win-back cohorts, goals).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import oracle
from conftest import run_dbt_build
from test_oracle_reactivation import REACTIVATION_CHECKS, ReactivationOracle

DEMO = dict(customers=2500, seed=42)  # the Makefile's demo data

# name -> (reporting currency the raw fx_rates are written in, vars)
CONFIGS: dict[str, tuple[str, dict]] = {
    "grain_month": ("USD", {"movement_grain": "month"}),
    "window_null": ("USD", {"reactivation_window_months": None}),
    "window_12": ("USD", {"reactivation_window_months": 12}),
    "as_of_mid_history": ("USD", {"as_of_date": "2024-02-15"}),
    "attribution_30": ("USD", {"attribution_window_days": 30}),
    "inactivity_60": ("USD", {"inactivity_days": 60}),
    "reporting_eur": ("EUR", {"reporting_currency": "EUR"}),
    # Every policy preset, and the rule values no preset uses.
    "preset_chartmogul": ("USD", {"policy_preset": "chartmogul"}),
    "preset_stripe": ("USD", {"policy_preset": "stripe"}),
    "preset_baremetrics": ("USD", {"policy_preset": "baremetrics"}),
    "preset_profitwell": ("USD", {"policy_preset": "profitwell"}),
    "pause_without_reactivation_full_month": ("USD", {
        "pause_treatment": "churn_without_reactivation",
        "reactivation_rule": "after_full_month_at_zero"}),
    "within_days_month_grain_request": ("USD", {
        "reactivation_rule": "within_days", "reactivation_window_days": 60,
        "movement_grain": "month", "cancellation_recognition": "request",
        "fx_valuation": "service_start"}),
}


class Matrix:
    """One demo folder per reporting currency, one build and one oracle per config."""

    def __init__(self, base: Path):
        self.base = base
        self._raw: dict[str, Path] = {}
        self._db: dict[str, object] = {}
        self._oracle: dict[str, tuple] = {}

    def raw_dir(self, currency: str) -> Path:
        if currency not in self._raw:
            from winback_data.generate import generate

            out = self.base / f"demo_{currency.lower()}"
            generate(out, reporting_currency=currency, **DEMO)
            self._raw[currency] = out
        return self._raw[currency]

    def db(self, name: str) -> Path:
        if name not in self._db:
            currency, vars = CONFIGS[name]
            path = self.base / f"{name}.duckdb"
            try:
                run_dbt_build(self.raw_dir(currency), path, vars, unit_tests=True)
                self._db[name] = path
            except pytest.fail.Exception as exc:  # a failed build runs once
                self._db[name] = exc
        if isinstance(self._db[name], BaseException):
            pytest.fail(str(self._db[name]), pytrace=False)
        return self._db[name]

    def oracle(self, name: str):
        if name not in self._oracle:
            currency, vars = CONFIGS[name]
            raw = self.raw_dir(currency)
            res = oracle.run_oracle(raw, vars)
            self._oracle[name] = (res, ReactivationOracle(res, raw, vars))
        return self._oracle[name]


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    # What each configuration costs shows in pytest's --durations (make test prints them).
    return Matrix(tmp_path_factory.mktemp("matrix"))


def _fail(problems):
    if problems:
        pytest.fail("\n\n".join(problems[:30]), pytrace=False)


@pytest.mark.parametrize("name", CONFIGS)
def test_whole_build_is_green(matrix, name):
    """Models, data tests and unit tests all pass (run_dbt_build fails the test with the
    failing nodes otherwise); the build really used the configuration."""
    import duckdb

    con = duckdb.connect(str(matrix.db(name)), read_only=True)
    try:
        as_of = con.execute("select as_of_date from main.int_reporting_dates").fetchall()
        months = con.execute(
            "select count(*) from main.fct_arr_waterfall where period_grain = 'month'"
        ).fetchone()[0]
    finally:
        con.close()
    assert len(as_of) == 1, "int_reporting_dates must hold exactly one row"
    assert months > 12
    expected = CONFIGS[name][1].get("as_of_date")
    if expected:
        assert str(as_of[0][0]) == expected


@pytest.mark.parametrize("name", CONFIGS)
def test_revenue_marts_match_oracle(matrix, name):
    res, _ = matrix.oracle(name)
    db = matrix.db(name)
    assert len(res.movements) > 1000
    from conftest import read_table

    problems = oracle.movement_problems(res.movements, read_table(db, "fct_arr_movements"),
                                        f"fct_arr_movements [{name}]")
    wf = read_table(db, "fct_arr_waterfall")
    problems += oracle.identity_problems(wf, f"fct_arr_waterfall [{name}]")
    problems += oracle.waterfall_problems(res.waterfall, wf, f"fct_arr_waterfall [{name}]")
    problems += oracle.waterfall_problems(
        res.waterfall_by_segment, read_table(db, "fct_arr_waterfall_by_segment"),
        f"fct_arr_waterfall_by_segment [{name}]", by_segment=True)
    _fail(problems)


@pytest.mark.parametrize("name", CONFIGS)
def test_reactivation_marts_match_oracle(matrix, name):
    _, ro = matrix.oracle(name)
    assert ro.episodes["reactivated_date"].notna().sum() > 20
    db = matrix.db(name)
    problems = []
    for check in REACTIVATION_CHECKS:
        problems += check(ro, db, name)
    _fail(problems)
