"""The raw contract and the vars fail loudly: a broken folder, a bad var or an amount
with no exchange rate stops the build with a message that names the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import read_table, run_dbt_build

HEADERS = {
    "subscription_events": "event_id,customer_id,subscription_id,event_type,effective_at,"
    "occurred_at,plan_id,billing_period,amount,currency,discount_pct,churn_reason,"
    "churn_reason_secondary,ingested_at",
    "customers": "customer_id,customer_name,email,segment,country,created_at",
    "product_usage": "customer_id,activity_date,active_users,events_count",
    "campaigns": "campaign_id,campaign_name,campaign_type,channel,target_segment,started_at,"
    "ended_at,cost,currency",
    "campaign_members": "campaign_id,customer_id,member_group,assigned_at,touched_at,responded_at",
    "fx_rates": "rate_date,currency,rate_to_reporting",
    "acquisition_spend": "month,channel,spend,currency",
}

EVENTS = [
    "E1,C1,S1,subscription_started,2024-01-05T10:00:00Z,2024-01-05,p,month,100,USD,,,,",
    "E2,C2,S2,subscription_started,2024-02-01,2024-02-01,p,year,1000,EUR,,,,",
    "E3,C1,S1,subscription_canceled,2024-04-05,2024-03-20,,,,,,too expensive,,",
]


def write_folder(path: Path, events=EVENTS, fx=("2023-12-01,EUR,1.10",),
                 drop_table: str | None = None, drop_column: tuple[str, str] | None = None):
    path.mkdir(parents=True, exist_ok=True)
    rows = {"subscription_events": list(events), "customers": ["C1,A,a@x.com,smb,US,2024-01-01"],
            "fx_rates": list(fx)}
    for table, header in HEADERS.items():
        if table == drop_table:
            continue
        columns = header.split(",")
        body = [r.split(",") for r in rows.get(table, [])]
        if drop_column and drop_column[0] == table:
            i = columns.index(drop_column[1])
            columns = columns[:i] + columns[i + 1:]
            body = [r[:i] + r[i + 1:] for r in body]
        lines = [",".join(columns)] + [",".join(r) for r in body]
        (path / f"{table}.csv").write_text("\n".join(lines) + "\n")
    return path


def test_minimal_folder_builds_and_counts_every_row(tmp_path):
    raw = write_folder(tmp_path / "raw")
    db = tmp_path / "out.duckdb"
    run_dbt_build(raw, db)
    movements = read_table(db, "fct_arr_movements").sort_values(["customer_id", "movement_date"])
    # as_of_date is the latest occurred_at (2024-03-20): C1's cancellation takes effect
    # on 2024-04-05, after it, so it is a scheduled change and C1 is not churned.
    assert list(movements["movement_type"]) == ["new", "new"]
    scheduled = read_table(db, "fct_scheduled_arr_changes")
    assert list(scheduled["event_id"]) == ["E3"] and bool(scheduled.iloc[0]["is_scheduled_end"])
    # C2 pays 1000 EUR a year, valued at 1.10 USD per EUR.
    assert float(movements.iloc[1]["arr_after"]) == pytest.approx(1100.0)
    dim = read_table(db, "dim_customers").set_index("customer_id")
    assert dim.loc["C2", "segment"] == "unknown" and bool(dim.loc["C2", "is_missing_from_customers"])


def test_missing_file_names_the_file(tmp_path):
    raw = write_folder(tmp_path / "raw", drop_table="campaign_members")
    proc = run_dbt_build(raw, tmp_path / "out.duckdb", expect_fail=True)
    assert "campaign_members.csv" in proc.stdout and "no file" in proc.stdout


def test_missing_required_column_names_the_column(tmp_path):
    raw = write_folder(tmp_path / "raw", drop_column=("subscription_events", "effective_at"))
    proc = run_dbt_build(raw, tmp_path / "out.duckdb", expect_fail=True)
    assert "subscription_events.csv has no column 'effective_at'" in proc.stdout


def test_missing_optional_column_is_read_as_empty(tmp_path):
    raw = write_folder(tmp_path / "raw", drop_column=("subscription_events", "ingested_at"))
    db = tmp_path / "out.duckdb"
    proc = run_dbt_build(raw, db)
    assert "has no column 'ingested_at'; it is read as empty" in proc.stdout
    assert len(read_table(db, "stg_raw__subscription_events")) == 3


def test_amount_without_fx_rate_stops_the_build_naming_rows(tmp_path):
    raw = write_folder(tmp_path / "raw", fx=("2024-03-01,EUR,1.10",))
    proc = run_dbt_build(raw, tmp_path / "out.duckdb", expect_fail=True)
    assert "no rate in fx_rates" in proc.stdout
    assert "EUR E2 (effective 2024-02-01)" in proc.stdout


def test_malformed_csv_line_is_a_rejected_row(tmp_path):
    raw = write_folder(tmp_path / "raw", events=EVENTS + ["E4,C3,S3,subscription_started"])
    db = tmp_path / "out.duckdb"
    run_dbt_build(raw, db)
    rejected = read_table(db, "dq_rejected_rows")
    malformed = rejected[rejected["reason"] == "malformed_csv_line"]
    assert list(malformed["source_key"]) == ["line 5"]
    recon = read_table(db, "dq_reconciliation").set_index("source_table")
    assert recon.loc["subscription_events", "raw_rows"] == 4


@pytest.mark.parametrize("vars_, name", [
    ({"movement_grain": "week"}, "movement_grain"),
    ({"reactivation_window_months": -3}, "reactivation_window_months"),
    ({"as_of_date": "2024-02-30"}, "as_of_date"),
    ({"target_reactivation_rate": 20}, "target_reactivation_rate"),
    ({"policy_preset": "chargebee"}, "policy_preset"),
    ({"pause_treatment": "freeze"}, "pause_treatment"),
    ({"reactivation_rule": "within_weeks"}, "reactivation_rule"),
    ({"reactivation_window_days": -1}, "reactivation_window_days"),
])
def test_bad_var_names_the_var(tmp_path, vars_, name):
    raw = write_folder(tmp_path / "raw")
    proc = run_dbt_build(raw, tmp_path / "out.duckdb", vars=vars_, expect_fail=True)
    assert f"winback vars: {name}" in proc.stdout


def _failure_text(proc) -> str:
    return proc.stdout + proc.stderr


def test_events_file_with_only_a_header_stops_naming_the_table(tmp_path):
    raw = write_folder(tmp_path / "raw", events=[])
    proc = run_dbt_build(raw, tmp_path / "out.duckdb", expect_fail=True)
    text = _failure_text(proc)
    assert "raw table subscription_events" in text and "has no rows" in text
    # the stop comes from staging, not from a test on a null reporting date downstream
    assert "Error in model stg_raw__subscription_events" in text
    assert "Failure in test not_null_int_reporting_dates" not in text


def test_no_usable_event_stops_naming_column_and_commonest_reason(tmp_path):
    """Every event unusable (the dates written as day/month/year, one with an impossible
    year): the build stops in staging, naming the column and the commonest reason."""
    events = [
        "E1,C1,S1,subscription_started,05/01/2024,,p,month,100,USD,,,,",
        "E2,C2,S2,subscription_started,01/02/2024,,p,year,1000,USD,,,,",
        "E3,C1,S1,subscription_canceled,0001-04-05,,,,,,,too expensive,,",
    ]
    raw = write_folder(tmp_path / "raw", events=events)
    proc = run_dbt_build(raw, tmp_path / "out.duckdb", expect_fail=True)
    text = _failure_text(proc)
    assert "no row of the raw table subscription_events" in text
    assert "unparseable_effective_at (column effective_at, 2 rows)" in text


def test_implausible_instants_are_rejected_and_never_move_as_of_date(tmp_path):
    """An occurred_at in 9999 would move the default as_of_date to 9999 and turn every
    scheduled cancellation into history; an event in the year 0001 would stretch the
    waterfall back two thousand years. Both are rejected with a reason instead."""
    events = EVENTS + [
        "E4,C2,S2,subscription_changed,2024-02-20,9999-12-31T23:59:59,p,year,1100,EUR,,,,",
        "E5,C3,S3,subscription_started,0001-01-01,0001-01-01,p,month,50,USD,,,,",
    ]
    raw = write_folder(tmp_path / "raw", events=events)
    db = tmp_path / "out.duckdb"
    run_dbt_build(raw, db)
    rejected = read_table(db, "dq_rejected_rows").set_index("source_key")["reason"]
    assert rejected["E4"] == "implausible_occurred_at"
    assert rejected["E5"] == "implausible_effective_at"
    assert str(read_table(db, "int_reporting_dates")["as_of_date"].iloc[0])[:10] == "2024-03-20"
    waterfall = read_table(db, "fct_arr_waterfall")
    assert str(waterfall["period_start"].min())[:10] == "2024-01-01"
    assert list(read_table(db, "fct_scheduled_arr_changes")["event_id"]) == ["E3"]


def test_a_column_named_twice_stops_naming_it(tmp_path):
    """A CSV whose header names `amount` twice (once as `Amount`): which copy the reader
    would use is an accident, so the run stops before any model and names the column."""
    raw = write_folder(tmp_path / "raw")
    path = raw / "subscription_events.csv"
    lines = path.read_text().splitlines()
    lines = [lines[0] + ",Amount"] + [line + ",999" for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n")
    proc = run_dbt_build(raw, tmp_path / "out.duckdb", expect_fail=True)
    text = proc.stdout + proc.stderr
    assert "subscription_events.csv names the column 'amount' more than once" in text


def test_duckdb_resources_come_from_the_environment(tmp_path, monkeypatch):
    """WINBACK_DUCKDB_MEMORY_LIMIT, _THREADS and _TEMP_DIRECTORY reach DuckDB (the run
    log shows the value DuckDB reports back), the memory limit defaults to 1 GiB per
    thread, and a value it would not take stops the run naming the variable."""
    raw = write_folder(tmp_path / "raw")
    monkeypatch.setenv("WINBACK_DUCKDB_MEMORY_LIMIT", "1GB")
    monkeypatch.setenv("WINBACK_DUCKDB_THREADS", "1")
    monkeypatch.setenv("WINBACK_DUCKDB_TEMP_DIRECTORY", str(tmp_path / "spill"))
    proc = run_dbt_build(raw, tmp_path / "out.duckdb", select="+int_reporting_dates")
    assert "winback: DuckDB memory_limit = 953.6 MiB (WINBACK_DUCKDB_MEMORY_LIMIT)" in proc.stdout
    assert "winback: DuckDB threads = 1 (WINBACK_DUCKDB_THREADS)" in proc.stdout
    assert f"winback: DuckDB temp_directory = {tmp_path / 'spill'}" in proc.stdout
    # Without WINBACK_DUCKDB_MEMORY_LIMIT the limit is 1 GiB per thread, not DuckDB's
    # 80% of RAM.
    monkeypatch.delenv("WINBACK_DUCKDB_MEMORY_LIMIT")
    for threads in ["1", "2"]:
        monkeypatch.setenv("WINBACK_DUCKDB_THREADS", threads)
        proc = run_dbt_build(raw, tmp_path / "out.duckdb", select="+int_reporting_dates")
        assert (f"winback: DuckDB memory_limit = {threads}.0 GiB (default: 1 GiB per thread;"
                in proc.stdout)
    monkeypatch.setenv("WINBACK_DUCKDB_MEMORY_LIMIT", "lots")
    proc = run_dbt_build(raw, tmp_path / "out.duckdb", select="+int_reporting_dates",
                         expect_fail=True)
    assert "WINBACK_DUCKDB_MEMORY_LIMIT='lots' is not a memory size" in proc.stdout
