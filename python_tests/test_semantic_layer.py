"""The semantic layer (models/marts/semantic): `mf validate-configs` passes on the demo
build, and `mf query` answers equal the marts for several metrics x grains x
dimensions. Ratios are recomputed by MetricFlow from their parts (sums of the monthly
rows), and must still equal the ratio the mart computed for the whole period."""

from __future__ import annotations

import math
import os
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import ROOT

MF = ROOT / ".venv" / "bin" / "mf"
BRIDGE = ["starting_arr", "new_arr", "expansion_arr", "reactivation_arr", "contraction_arr",
          "churned_arr", "fx_impact", "ending_arr", "net_new_arr", "nrr", "grr", "quick_ratio",
          "starting_customers", "ending_customers"]


def _env(db: Path) -> dict:
    return dict(os.environ, WINBACK_DUCKDB_PATH=str(db), DBT_PROFILES_DIR=str(ROOT))


def mf_query(db: Path, tmp: Path, metrics: list[str], group_by: list[str],
             where: str | None = None) -> pd.DataFrame:
    out = tmp / f"q{len(list(tmp.glob('q*.csv')))}.csv"
    cmd = [str(MF), "query", "--metrics", ",".join(metrics), "--group-by", ",".join(group_by),
           "--csv", str(out)]
    if where:
        cmd += ["--where", where]
    proc = subprocess.run(cmd, cwd=ROOT, env=_env(db), capture_output=True, text=True)
    assert proc.returncode == 0 and out.exists(), proc.stdout[-2000:] + proc.stderr[-2000:]
    return pd.read_csv(out)


def mart(db: Path, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def differences(mf: pd.DataFrame, want: pd.DataFrame, keys: list[str],
                columns: list[str]) -> list[str]:
    """Cells that differ: money to the cent, ratios to 1e-9, a null only against a null."""
    mf, want = mf.copy(), want.copy()
    for frame in (mf, want):  # dates as timestamps on both sides
        for key in keys:
            if key in ("period_start", "churn_month"):
                frame[key] = pd.to_datetime(frame[key])
    mf = mf.set_index(keys)
    want = want.set_index(keys)
    problems = [f"rows only in MetricFlow: {sorted(set(mf.index) - set(want.index))[:5]}",
                f"rows only in the mart: {sorted(set(want.index) - set(mf.index))[:5]}"]
    problems = [p for p in problems if not p.endswith("[]")]
    for key in set(mf.index) & set(want.index):
        for column in columns:
            got, exp = mf.loc[key, column], want.loc[key, column]
            if pd.isna(exp) or pd.isna(got):
                same = pd.isna(exp) and pd.isna(got)
            else:
                same = math.isclose(float(got), float(exp), rel_tol=1e-9, abs_tol=0.005)
            if not same:
                problems.append(f"{key} {column}: MetricFlow {got}, mart {exp}")
    return problems


@pytest.fixture(scope="module")
def built(demo, tmp_path_factory):
    _, db = demo
    return db, tmp_path_factory.mktemp("mf")


def test_validate_configs_passes_on_the_build(built):
    db, _ = built
    proc = subprocess.run([str(MF), "validate-configs"], cwd=ROOT, env=_env(db),
                          capture_output=True, text=True)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 0, text[-3000:]
    assert "ERRORS: 0" in text and "Successfully validated metrics against data warehouse" in text


@pytest.mark.parametrize("grain", ["month", "quarter", "year"])
def test_bridge_metrics_equal_the_waterfall(built, grain):
    db, tmp = built
    got = mf_query(db, tmp, BRIDGE, [f"metric_time__{grain}"])
    got["period_start"] = pd.to_datetime(got[f"metric_time__{grain}"])
    want = mart(db, f"select * from fct_arr_waterfall where period_grain = '{grain}'")
    assert len(want) >= 4
    assert differences(got, want, ["period_start"], BRIDGE) == []


def test_bridge_metrics_by_segment_equal_the_segment_waterfall(built):
    db, tmp = built
    got = mf_query(db, tmp, BRIDGE, ["metric_time__quarter", "bridge_row__segment"])
    got["period_start"] = pd.to_datetime(got["metric_time__quarter"])
    got["segment"] = got["bridge_row__segment"]
    want = mart(db, "select * from fct_arr_waterfall_by_segment where period_grain = 'quarter'")
    assert want.segment.nunique() >= 3
    assert differences(got, want, ["period_start", "segment"], BRIDGE) == []


def test_reactivation_rates_by_segment_equal_the_mart(built):
    db, tmp = built
    got = mf_query(db, tmp, ["reactivation_rate_quarterly", "win_back_rate_quarterly"],
                   ["metric_time__quarter", "pool_row__dimension_value"],
                   where="{{ Dimension('pool_row__dimension') }} = 'segment'")
    got["period_start"] = pd.to_datetime(got["metric_time__quarter"])
    got["dimension_value"] = got["pool_row__dimension_value"]
    got = got.rename(columns={"reactivation_rate_quarterly": "reactivation_rate",
                              "win_back_rate_quarterly": "win_back_rate"})
    want = mart(db, "select * from fct_reactivation_rate where period_grain = 'quarter' "
                    "and dimension = 'segment'")
    assert want.reactivation_rate.notna().sum() >= 8
    assert differences(got, want, ["period_start", "dimension_value"],
                       ["reactivation_rate", "win_back_rate"]) == []


def test_cohort_win_back_rates_equal_the_mart_and_stay_null_when_censored(built):
    db, tmp = built
    got = mf_query(db, tmp, ["cohort_reactivation_rate_90d", "cohort_arr_win_back_rate_90d"],
                   ["metric_time__month"])
    got["churn_month"] = pd.to_datetime(got["metric_time__month"])
    got = got.rename(columns={"cohort_reactivation_rate_90d": "reactivation_rate_90d",
                              "cohort_arr_win_back_rate_90d": "arr_win_back_rate_90d"})
    want = mart(db, "select * from fct_reactivation_cohorts")
    assert want.reactivation_rate_90d.isna().any() and want.reactivation_rate_90d.notna().any()
    assert differences(got, want, ["churn_month"],
                       ["reactivation_rate_90d", "arr_win_back_rate_90d"]) == []


def test_campaign_dashboard_saved_metrics_equal_the_campaign_type_mart(built):
    db, tmp = built
    metrics = ["campaign_response_rate", "campaign_reactivation_rate", "campaign_cac",
               "campaign_payback_months", "campaign_roi"]
    got = mf_query(db, tmp, metrics, ["campaign__campaign_type", "campaign__target_segment",
                                      "campaign__channel"])
    got = got.rename(columns={c: c.removeprefix("campaign__") for c in got.columns
                              if c.startswith("campaign__")})
    got = got.rename(columns={m: m.removeprefix("campaign_") for m in metrics})
    want = mart(db, "select * from fct_campaign_type_performance")
    assert len(want) >= 3
    assert differences(got, want, ["campaign_type", "target_segment", "channel"],
                       ["response_rate", "reactivation_rate", "cac", "payback_months",
                        "roi"]) == []


def test_new_customer_cac_equals_the_acquisition_mart(built):
    db, tmp = built
    got = mf_query(db, tmp, ["new_customer_cac"], ["metric_time__month"])
    got["period_start"] = pd.to_datetime(got["metric_time__month"])
    want = mart(db, "select * from fct_acquisition_cost where period_grain = 'month'")
    assert want.new_customer_cac.notna().sum() >= 12
    assert differences(got, want, ["period_start"], ["new_customer_cac"]) == []
