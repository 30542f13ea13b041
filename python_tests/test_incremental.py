"""Incremental daily runs equal a full refresh.

A generated history (junk rows included) is cut into batches the way a daily pipeline
receives it: mostly in the order rows were ingested, but with some rows arriving one or
more batches late (their effective_at long past), batches in random row order, exact
copies of rows delivered before, a conflicting copy of an earlier event, customers whose
customers row comes after their events, a conflicting copy of a customers row delivered
before, exchange rates and usage days that arrive with
their days, and one usage day delivered late into a customer's long idle stretch (the
spells of inactivity change before the last as_of_date), one usage day delivered
into the 90 days before a churn that an earlier run built, of a customer with no other
new row (its pre-churn usage changes, its churns do not), and a conflicting copy of an
accepted day in the 90 days before another such churn (the day is rejected). Each batch is a new file in the
folder form of the raw tables (`<table>/part-NNN.csv`, or `.parquet`: a Parquet table's
rows are read by their number in the file); at the end one delivery is rewritten in
place (rows gone, a row changed). Two more tests move as_of_date back and forth with no
raw row changed, and change a setting in the run in which a customer leaves the files.

One DuckDB file is built batch after batch (the first build full, every later one
incremental); another is built once, from scratch, on the same files. Every table the
project builds must then hold the same rows in both, the reconciliation must balance
(each build runs every data test), the later runs must have recomputed only some
customers, and after each run the spells of usage inactivity and the active days before
each churn must equal those recomputed in pandas from that build's usage rows and
churns.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

import oracle
from conftest import ROOT, dbt_build_command, run_dbt_build
from test_oracle_reactivation import usage_spells

from winback_data.generate import generate

BATCHES = 4
# Tables that grow batch by batch; the others are written once, in the first batch.
GROWING = ("subscription_events", "customers", "fx_rates", "product_usage")
# Built by design from the run's own comparison, not from the data.
NOT_COMPARED = {"int_customers_to_rebuild", "winback_incremental_state"}
# Seed, vars and the raw files' format.
CASES = {
    "defaults_parquet": (11, {}, "parquet"),
    "month_request_service_start_csv": (12, {"movement_grain": "month",
                                             "cancellation_recognition": "request",
                                             "fx_valuation": "service_start"}, "csv"),
}


def _read(path: Path) -> pd.DataFrame:
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _write(df: pd.DataFrame, path: Path) -> None:
    """Every value as text, in the format the path's suffix names."""
    if path.suffix == ".parquet":
        df.astype(str).to_parquet(path, index=False)
    else:
        df.to_csv(path, index=False, lineterminator="\n")


def _instant(text: str) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(oracle.parse_ts(text))
    except (ValueError, TypeError):
        return None


def _generated(folder: Path, customers: int, seed: int) -> dict[str, pd.DataFrame]:
    """The generator's raw tables (junk rows included), every value as its text."""
    generate(folder, customers=customers, seed=seed, start="2022-01-01", end="2024-12-31")
    return {path.stem: pd.read_csv(path, dtype=str, keep_default_na=False)
            for path in sorted(folder.glob("*.csv")) if not path.name.startswith("_")}


def _batches(raw: dict[str, pd.DataFrame], rng: np.random.Generator
             ) -> list[dict[str, pd.DataFrame]]:
    """The raw tables cut into BATCHES deliveries, each table's rows of one delivery."""
    events = raw["subscription_events"]
    stamps = [_instant(a) or _instant(b) for a, b in zip(events["ingested_at"],
                                                         events["effective_at"])]
    known = pd.Series([s for s in stamps if s is not None])
    # Batch boundaries at the 70th, 80th and 90th percentile of what is ingested when.
    bounds = list(known.quantile([0.7, 0.8, 0.9]))
    batch = np.array([
        int(np.searchsorted(bounds, s)) if s is not None else int(rng.integers(BATCHES))
        for s in stamps])
    late = rng.random(len(batch)) < 0.08  # arrives one or two deliveries late
    batch = np.where(late, np.minimum(batch + rng.integers(1, 3, len(batch)), BATCHES - 1),
                     batch)
    out = [{name: df.iloc[0:0] for name, df in raw.items()} for _ in range(BATCHES)]
    for k in range(BATCHES):
        part = events[batch == k].sample(frac=1, random_state=int(rng.integers(1 << 30)))
        if k:
            earlier = events[batch < k]
            copies = earlier.sample(n=min(15, len(earlier)), random_state=k)
            conflicting = earlier.sample(n=1, random_state=100 + k).copy()
            conflicting["amount"] = "1234.00"
            # A row without a key: rejected, kept with its file.
            keyless = earlier.sample(n=1, random_state=300 + k).assign(event_id="")
            part = pd.concat([part, copies, conflicting, keyless], ignore_index=True)
        out[k]["subscription_events"] = part
    # A tenth of the customers rows come with the last delivery.
    customers = raw["customers"]
    late_customer = rng.random(len(customers)) < 0.1
    out[0]["customers"] = customers[~late_customer]
    # And a copy of a row delivered before, with another country: both copies are
    # rejected, and the customer's segment becomes `unknown` in every movement.
    early = customers[~late_customer & customers["customer_id"].isin(events["customer_id"])]
    conflicting_customer = early.sample(n=1, random_state=500).copy()
    conflicting_customer["country"] = "ZZ"
    out[-1]["customers"] = pd.concat([customers[late_customer], conflicting_customer],
                                     ignore_index=True)
    # Rates arrive with the deliveries of their days.
    fx = raw["fx_rates"]
    rate_day = pd.to_datetime(fx["rate_date"], errors="coerce", format="%Y-%m-%d")
    fx_batch = np.array([0 if pd.isna(d) else int(np.searchsorted(bounds, d)) for d in rate_day])
    for k in range(BATCHES):
        out[k]["fx_rates"] = fx[fx_batch == k]
    # Usage days arrive with the deliveries of their days, with copies of rows delivered
    # before and one conflicting copy in each later delivery.
    usage = raw["product_usage"]
    usage_day = pd.to_datetime(usage["activity_date"], errors="coerce", format="%Y-%m-%d")
    usage_batch = np.array([int(rng.integers(BATCHES)) if pd.isna(d)
                            else int(np.searchsorted(bounds, d)) for d in usage_day])
    for k in range(BATCHES):
        part = usage[usage_batch == k]
        if k:
            earlier = usage[usage_batch < k]
            copies = earlier.sample(n=min(20, len(earlier)), random_state=k)
            conflicting = earlier.sample(n=1, random_state=200 + k).copy()
            conflicting["active_users"] = "999"
            keyless = earlier.sample(n=1, random_state=400 + k).assign(customer_id="")
            part = pd.concat([part, copies, conflicting, keyless, _late_day(earlier, rng)],
                             ignore_index=True)
        out[k]["product_usage"] = part.sample(frac=1, random_state=int(rng.integers(1 << 30)))
    for name, df in raw.items():
        if name not in GROWING:
            out[0][name] = df
    return out


def _late_day(usage: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """A usage row delivered late into the middle of a long idle stretch of a customer
    delivered before: one spell of inactivity splits in two, or ends early."""
    day = pd.to_datetime(usage["activity_date"], errors="coerce", format="%Y-%m-%d")
    known = usage.assign(day=day)[day.notna() & (usage["customer_id"] != "")]
    known = known.sort_values(["customer_id", "day"])
    gap = known.groupby("customer_id")["day"].shift(-1) - known["day"]
    long_idle = known[gap > pd.Timedelta(days=70)]
    row = long_idle.iloc[[int(rng.integers(len(long_idle)))]].copy()
    row["activity_date"] = (row["day"] + pd.Timedelta(days=35)).dt.strftime("%Y-%m-%d")
    return row.drop(columns="day")


def _late_day_before_a_churn(db: Path, tables: dict[str, pd.DataFrame],
                             rng: np.random.Generator) -> pd.DataFrame:
    """A usage row for a day, not yet active, 10 days before a churn the last run of db
    built, of a customer with no row in this delivery's events or customers and no
    movement since (so that only the usage day tells the run to recompute the churn)."""
    (as_of,), = _query(db, "select as_of_date from main.int_reporting_dates")
    # Ordered, so that the seeded pick does not depend on the order rows are stored in.
    churns = pd.DataFrame(_query(db, "select customer_id, churn_date, return_date"
                                     " from main.int_churn_episodes order by 1, 2"),
                          columns=["customer_id", "churn_date", "return_date"])
    churns["churn_date"] = pd.to_datetime(churns["churn_date"])
    active = {(c, pd.Timestamp(d)) for c, d in _query(
        db, "select customer_id, activity_date from main.stg_raw__product_usage")}
    touched = set(tables["subscription_events"]["customer_id"].str.strip()) \
        | set(tables["customers"]["customer_id"].str.strip())
    churns["day"] = churns["churn_date"] - pd.Timedelta(days=10)
    quiet = churns[churns["return_date"].isna()
                   & (churns["churn_date"] < pd.Timestamp(as_of) - pd.Timedelta(days=120))
                   & ~churns["customer_id"].isin(touched)
                   & ~pd.Series([(c, d) in active for c, d
                                 in zip(churns["customer_id"], churns["day"])],
                                index=churns.index)]
    picked = quiet.iloc[int(rng.integers(len(quiet)))]
    row = tables["product_usage"].iloc[[0]].copy()
    row["customer_id"] = picked["customer_id"]
    row["activity_date"] = picked["day"].strftime("%Y-%m-%d")
    row["active_users"], row["events_count"] = "1", "1"
    return row


def _churns_and_usage_days(db: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The churns a run of db built, its accepted usage days (each once), and the pairs
    of a churn and a usage day of its customer in the 90 days up to the churn."""
    churns = pd.DataFrame(_query(db, "select customer_id, churn_date"
                                     " from main.int_churn_episodes order by 1, 2"),
                          columns=["customer_id", "churn_date"])
    usage = pd.DataFrame(_query(db, "select distinct customer_id, activity_date"
                                    " from main.stg_raw__product_usage order by 1, 2"),
                         columns=["customer_id", "activity_date"])
    churns["churn_date"] = pd.to_datetime(churns["churn_date"])
    usage["activity_date"] = pd.to_datetime(usage["activity_date"])
    pairs = churns.merge(usage, on="customer_id")
    lookback = (pairs["activity_date"] <= pairs["churn_date"]) \
        & (pairs["activity_date"] > pairs["churn_date"] - pd.Timedelta(days=90))
    return churns, usage, pairs[lookback]


def _conflict_before_a_churn(db: Path, tables: dict[str, pd.DataFrame],
                             delivered: pd.DataFrame, skip: str,
                             rng: np.random.Generator) -> pd.DataFrame:
    """A conflicting copy (other active_users) of a usage row delivered before and
    accepted, for a day in the 90 days up to a churn the last run of db built, of a
    customer with another active day in those 90 days and with no row in this
    delivery: the copy rejects the day, so the churn's active days fall by one (not to
    nothing), though the customer's churns are not recomputed for their events."""
    _, _, pairs = _churns_and_usage_days(db)
    days = pairs.groupby(["customer_id", "churn_date"])["activity_date"].transform("size")
    touched = {skip} | set(tables["subscription_events"]["customer_id"].str.strip()) \
        | set(tables["customers"]["customer_id"].str.strip()) \
        | set(tables["product_usage"]["customer_id"].str.strip())
    quiet = pairs[(days >= 2) & ~pairs["customer_id"].isin(touched)]
    picked = quiet.iloc[int(rng.integers(len(quiet)))]
    day = pd.to_datetime(delivered["activity_date"], errors="coerce", format="mixed")
    original = delivered[(delivered["customer_id"].str.strip() == picked["customer_id"])
                         & (day.dt.normalize() == picked["activity_date"])].iloc[[0]].copy()
    original["active_users"] = "4321" if original["active_users"].iloc[0].strip() != "4321" \
        else "4322"
    return original


def _churn_usage_differences(db: Path) -> int:
    """Rows in which a run's active days in the 90 days up to each churn (and whether any
    accepted usage row exists) differ from those recomputed in pandas from the same
    build's churns and accepted usage rows."""
    churns, usage, pairs = _churns_and_usage_days(db)
    counted = pairs.groupby(["customer_id", "churn_date"]).size()
    expected = churns.assign(
        active_days=[int(counted.get((c, d), 0)) for c, d
                     in zip(churns["customer_id"], churns["churn_date"])],
        has_usage_data=len(usage) > 0)
    built = pd.DataFrame(_query(db, "select customer_id, churn_date, active_days,"
                                    " has_usage_data from main.int_churn_usage_before"),
                         columns=list(expected.columns))
    built["churn_date"] = pd.to_datetime(built["churn_date"])
    both = pd.concat([expected.assign(side=1), built.assign(side=-1)])
    balance = both.groupby(list(expected.columns))["side"].sum()
    return int((balance != 0).sum())


def _rewrite_a_delivery(raw_dir: Path, k: int, rng: np.random.Generator,
                        file_format: str = "csv") -> None:
    """Delivery k rewritten in place, as a pipeline that re-exports a day does: rows gone
    (among them rows copied again in later deliveries, whose later copies must now be
    the ones kept), one row changed, its keyless rows still there."""
    for name, key, column in (("subscription_events", ["event_id"], "amount"),
                              ("product_usage", ["customer_id", "activity_date"],
                               "events_count")):
        folder = raw_dir / name
        path = folder / f"part-{k:03d}.{file_format}"
        df = _read(path)
        later = pd.concat([_read(p) for p in sorted(folder.glob(f"part-*.{file_format}"))
                           if p.name > path.name])
        copied_later = np.flatnonzero(
            df.set_index(key).index.isin(later.set_index(key).index)
            & (df[key[0]] != ""))
        assert len(copied_later), name
        gone = np.union1d(rng.choice(copied_later, size=min(3, len(copied_later)), replace=False),
                          rng.choice(len(df), size=2, replace=False))
        df = df.drop(index=gone)
        df.iloc[0, df.columns.get_loc(column)] = "77"
        _write(df, path)


def _write_batch(raw_dir: Path, k: int, tables: dict[str, pd.DataFrame],
                 file_format: str = "csv") -> None:
    raw_dir.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        if name in GROWING:
            folder = raw_dir / name
            folder.mkdir(parents=True, exist_ok=True)
            _write(df, folder / f"part-{k:03d}.{file_format}")
        elif k == 0:
            _write(df, raw_dir / f"{name}.{file_format}")


def _differences(incremental: Path, full: Path) -> dict[str, tuple[int, int]]:
    """Per table of the full build: rows only in the incremental build, rows only in the
    full one (as multisets); only tables with a difference."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{incremental}' as inc (read_only)")
        con.execute(f"attach '{full}' as ful (read_only)")
        names = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where database_name = 'ful'"
            " and schema_name = 'main' order by 1").fetchall()]
        found = {}
        for name in names:
            if name in NOT_COMPARED:
                continue
            a, b = f'inc.main."{name}"', f'ful.main."{name}"'
            only_inc = con.execute(
                f"select count(*) from (select * from {a} except all select * from {b})"
            ).fetchone()[0]
            only_full = con.execute(
                f"select count(*) from (select * from {b} except all select * from {a})"
            ).fetchone()[0]
            if only_inc or only_full:
                found[name] = (only_inc, only_full)
        return found
    finally:
        con.close()


def _spells_differences(db: Path, inactivity_days: int) -> int:
    """Rows in which the spells of usage inactivity a run left differ from the spells
    recomputed in pandas from the same build's accepted usage rows (as multisets)."""
    (as_of,), = _query(db, "select as_of_date from main.int_reporting_dates")
    usage = pd.DataFrame(_query(db, "select customer_id, activity_date"
                                    " from main.stg_raw__product_usage"),
                         columns=["customer_id", "activity_date"])
    expected = usage_spells(usage, as_of, inactivity_days)
    built = pd.DataFrame(_query(db, "select customer_id, last_activity_date, inactive_date,"
                                    " return_date from main.int_usage_inactivity_episodes"),
                         columns=list(expected.columns))
    both = pd.concat([expected.assign(side=1), built.assign(side=-1)]).fillna("-")
    balance = both.groupby(list(expected.columns))["side"].sum()
    return int((balance != 0).sum())


def _query(db: Path, sql: str):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("case", list(CASES))
def test_incremental_runs_equal_a_full_refresh(case):
    seed, vars, file_format = CASES[case]
    rng = np.random.default_rng(seed)
    work = Path(tempfile.mkdtemp(prefix="winback_incremental_"))
    raw = _generated(work / "generated", customers=300, seed=seed)
    raw_dir, incremental, full = work / "raw", work / "incremental.duckdb", work / "full.duckdb"
    rebuilt, customers_seen, spells_wrong, churn_usage_wrong = [], [], [], []
    usage_only, conflicts_kept = [], []
    batches = _batches(raw, rng)
    for k, tables in enumerate(batches):
        if k:
            late = _late_day_before_a_churn(incremental, tables, rng)
            conflict = _conflict_before_a_churn(
                incremental, tables, pd.concat([b["product_usage"] for b in batches[:k]]),
                late["customer_id"].iloc[0], rng)
            tables["product_usage"] = pd.concat([tables["product_usage"], late, conflict],
                                                ignore_index=True)
        _write_batch(raw_dir, k, tables, file_format)
        run_dbt_build(raw_dir, incremental, vars)
        if k:
            quiet = "', '".join([late["customer_id"].iloc[0], conflict["customer_id"].iloc[0]])
            usage_only += _query(incremental, "select count(*) from main.int_customers_to_rebuild"
                                              f" where customer_id in ('{quiet}')")
            conflicts_kept += _query(
                incremental, "select count(*) from main.stg_raw__product_usage"
                f" where customer_id = '{conflict['customer_id'].iloc[0]}' and activity_date"
                f" = cast('{pd.to_datetime(conflict['activity_date'].iloc[0], format='mixed').date()}'"
                " as date)")
        rebuilt.append(_query(incremental, "select count(*) from main.int_customers_to_rebuild")
                       [0][0])
        customers_seen.append(_query(
            incremental, "select count(distinct customer_id) from main.int_subscription_events_dated"
        )[0][0])
        # The spells of usage inactivity follow each delivery (the rewrite below makes
        # the last run recompute them all, so they are checked here, run by run).
        spells_wrong.append(_spells_differences(incremental, vars.get("inactivity_days", 30)))
        churn_usage_wrong.append(_churn_usage_differences(incremental))
    # A delivery rewritten in place: its old rows are forgotten, its new ones read.
    _rewrite_a_delivery(raw_dir, 1, rng, file_format)
    run_dbt_build(raw_dir, incremental, vars)
    run_dbt_build(raw_dir, full, vars)

    assert _differences(incremental, full) == {}
    assert spells_wrong == [0] * len(spells_wrong)
    # The churns given a usage day, or a conflicting copy that rejects one, were not
    # recomputed for their events, yet their usage before the churn follows each
    # delivery.
    assert usage_only == [(0,)] * (BATCHES - 1)
    assert conflicts_kept == [(0,)] * (BATCHES - 1)
    assert churn_usage_wrong == [0] * len(churn_usage_wrong)
    # The later runs were incremental: each recomputed some customers, not all.
    assert all(0 < n < customers_seen[k] for k, n in enumerate(rebuilt) if k), \
        (rebuilt, customers_seen)
    # The bridge closes month by month: start + movements = end.
    unbalanced = _query(incremental, """
        select count(*) from main.fct_arr_waterfall
        where round(starting_arr + new_arr + expansion_arr + reactivation_arr
                    - contraction_arr - churned_arr + fx_impact - ending_arr, 6) <> 0""")
    assert unbalanced == [(0,)]


def test_a_run_stopped_part_way_is_finished_by_the_next():
    """A run that rebuilt only part of the chain (as one killed midway would) saves no
    state; when the next delivery is then withdrawn, the next run must still undo what
    the stopped run wrote. Then the delivery comes again and a run builds only the base
    models, which read it: the next whole run must still take it in, though the base
    tables have nothing new to read (a usage day comes with it 10 days before a churn
    of a customer with no other new row)."""
    rng = np.random.default_rng(13)
    work = Path(tempfile.mkdtemp(prefix="winback_incremental_stop_"))
    raw = _generated(work / "generated", customers=200, seed=13)
    batches = _batches(raw, rng)
    raw_dir, incremental, full = work / "raw", work / "incremental.duckdb", work / "full.duckdb"
    _write_batch(raw_dir, 0, batches[0])
    run_dbt_build(raw_dir, incremental)
    _write_batch(raw_dir, 1, batches[1])
    run_dbt_build(raw_dir, incremental,
                  select="+int_customer_currency_deltas")
    stopped = _query(incremental, "select count(*) from main.int_customers_to_rebuild")[0][0]
    for name in GROWING:
        (raw_dir / name / "part-001.csv").unlink()
    run_dbt_build(raw_dir, incremental)
    run_dbt_build(raw_dir, full)

    assert stopped > 0
    assert _differences(incremental, full) == {}

    late = _late_day_before_a_churn(incremental, batches[1], rng)
    batches[1]["product_usage"] = pd.concat([batches[1]["product_usage"], late],
                                            ignore_index=True)
    _write_batch(raw_dir, 1, batches[1])
    run_dbt_build(raw_dir, incremental,
                  select="base_raw__subscription_events base_raw__product_usage")
    run_dbt_build(raw_dir, incremental)
    (rebuilt,), = _query(incremental, "select count(*) from main.int_customers_to_rebuild")
    again = work / "full_again.duckdb"
    run_dbt_build(raw_dir, again)

    assert rebuilt > 0
    assert _differences(incremental, again) == {}
    assert _churn_usage_differences(incremental) == 0


def test_a_moved_as_of_date_equals_a_full_refresh():
    """as_of_date set 40 days back, then given back to the data: with no raw row
    changed, the later run must still take in what lies between the two dates (the
    events of those days, and the usage days that end or open spells of inactivity)."""
    rng = np.random.default_rng(14)
    work = Path(tempfile.mkdtemp(prefix="winback_incremental_as_of_"))
    raw = _generated(work / "generated", customers=200, seed=14)
    raw_dir, incremental, full = work / "raw", work / "incremental.duckdb", work / "full.duckdb"
    for k, tables in enumerate(_batches(raw, rng)):
        _write_batch(raw_dir, k, tables, "parquet")
    run_dbt_build(raw_dir, full)
    (latest,), = _query(full, "select as_of_date from main.int_reporting_dates")
    earlier = str(latest - pd.Timedelta(days=40))
    run_dbt_build(raw_dir, incremental, {"as_of_date": earlier})
    run_dbt_build(raw_dir, incremental)
    (rebuilt,), = _query(incremental, "select count(*) from main.int_customers_to_rebuild")
    (customers,), = _query(incremental, "select count(distinct customer_id)"
                                        " from main.int_subscription_events_dated")

    assert _differences(incremental, full) == {}
    # The later run recomputed the customers with events from the earlier date's period
    # on, not everyone.
    assert 0 < rebuilt < customers, (rebuilt, customers)


READ_BY_FILE = ("subscription_events", "product_usage", "customers")
# The incremental models of the ARR chain, each recomputing customers by their id.
CHAIN_MODELS = ("int_customers_segmented", "int_subscription_events_dated",
                "int_customer_currency_deltas", "int_customer_arr_changes",
                "int_arr_movements_classified", "int_churn_episodes", "int_churn_usage_before")


def _logged_build(raw_dir: Path, db: Path, work: Path, vars: dict | None = None) -> str:
    """A `dbt build` as run_dbt_build runs it (from a folder where `raw` links to raw_dir
    and the file's name to db, so that the rows name their raw files alike), returning
    dbt's debug log of it."""
    work.mkdir(parents=True)
    (work / "raw").symlink_to(raw_dir.resolve(), target_is_directory=True)
    (work / db.name).symlink_to(db.resolve())
    cmd, env = dbt_build_command("raw", db.name, work, vars)
    proc = subprocess.run([*cmd, "--project-dir", str(ROOT)], cwd=work, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    return (work / "logs" / "dbt.log").read_text()


def test_a_rewritten_single_file_is_built_afresh():
    """The single-file form of the raw tables rewritten, as a daily full export does
    (rows gone, a row changed, rows added): no file the events and usage tables hold is
    current any more, and a customers file changed, so every row of those tables is read
    again. The run builds them afresh as a full build does, not by deleting every row
    and appending them all again, and every table equals a full build's on the files."""
    rng = np.random.default_rng(19)
    work = Path(tempfile.mkdtemp(prefix="winback_incremental_single_"))
    raw = _generated(work / "generated", customers=100, seed=19)
    raw_dir, incremental, full = work / "raw", work / "incremental.duckdb", work / "full.duckdb"
    raw_dir.mkdir()
    for name, df in raw.items():
        kept = df.sample(frac=0.9, random_state=int(rng.integers(1 << 30))).sort_index() \
            if name in READ_BY_FILE else df
        _write(kept, raw_dir / f"{name}.csv")
    run_dbt_build(raw_dir, incremental)
    events = raw["subscription_events"].drop(index=raw["subscription_events"].index[:5])
    changed = events.index[events["amount"].str.fullmatch(r"[0-9]+(\.[0-9]+)?")][0]
    events.loc[changed, "amount"] = str(float(events.loc[changed, "amount"]) + 11)
    for name, df in {**raw, "subscription_events": events}.items():
        if name in READ_BY_FILE:
            _write(df, raw_dir / f"{name}.csv")
    log = _logged_build(raw_dir, incremental, work / "rewritten")
    run_dbt_build(raw_dir, full)

    schema = '"incremental"."main"'
    for name in READ_BY_FILE:
        table = f'{schema}."base_raw__{name}"'
        assert (f'alter table {schema}."base_raw__{name}__dbt_tmp"'
                f' rename to "base_raw__{name}"') in log, name
        assert f"delete from {table}" not in log, name
        assert f"insert into {table}" not in log, name
    assert _differences(incremental, full) == {}


def _execute(db: Path, sql: str) -> None:
    con = duckdb.connect(str(db))
    try:
        con.execute(sql)
    finally:
        con.close()


def _remove_customers(raw_dir: Path, customer_ids: list[str]) -> None:
    """Every row of these customers leaves the raw files (CSV parts) it was in."""
    for name in ("subscription_events", "customers", "product_usage"):
        for path in sorted((raw_dir / name).glob("part-*.csv")):
            df = _read(path)
            _write(df[~df["customer_id"].str.strip().isin(customer_ids)], path)


def test_a_changed_setting_forgets_a_customer_gone():
    """A setting changed in the same run in which every row of a customer left the raw
    files: everyone is recomputed, and the customer, who is in no fingerprint any more,
    only in the saved state, must leave every table of the chain too. So must a
    customer with a customers row and no event, known to the saved state only by the
    kind of fingerprint an earlier version of winback saved (customer_segment). With
    everyone recomputed, the chain's tables are built afresh as a full build does."""
    rng = np.random.default_rng(15)
    work = Path(tempfile.mkdtemp(prefix="winback_incremental_setting_"))
    raw = _generated(work / "generated", customers=200, seed=15)
    raw_dir, incremental, full = work / "raw", work / "incremental.duckdb", work / "full.duckdb"
    batches = _batches(raw, rng)
    only_row = batches[0]["customers"].iloc[[0]].assign(customer_id="ONLY-A-CUSTOMERS-ROW")
    batches[0]["customers"] = pd.concat([batches[0]["customers"], only_row], ignore_index=True)
    for k, tables in enumerate(batches):
        _write_batch(raw_dir, k, tables)
    run_dbt_build(raw_dir, incremental)
    _execute(incremental, "update main.winback_incremental_state set fingerprint_kind ="
                          " 'customer_segment' where fingerprint_kind = 'customer_row'")
    (gone,), = _query(incremental, "select min(customer_id) from main.fct_arr_movements")
    _remove_customers(raw_dir, [gone, "ONLY-A-CUSTOMERS-ROW"])
    changed = {"reactivation_window_months": 12}
    log = _logged_build(raw_dir, incremental, work / "changed", changed)
    run_dbt_build(raw_dir, full, changed)

    # Everyone is recomputed, so the chain's tables are built afresh as in a full build,
    # not emptied and filled again.
    schema = '"incremental"."main"'
    for model in CHAIN_MODELS:
        assert f'alter table {schema}."{model}__dbt_tmp" rename to "{model}"' in log, model
        assert f'delete from {schema}."{model}"' not in log, model
        assert f'insert into {schema}."{model}"' not in log, model
    assert _query(incremental, "select count(*) from main.fct_arr_movements"
                               f" where customer_id = '{gone}'") == [(0,)]
    assert _query(incremental, "select count(*) from main.dim_customers"
                               " where customer_id = 'ONLY-A-CUSTOMERS-ROW'") == [(0,)]
    assert _differences(incremental, full) == {}


def test_a_run_with_no_saved_state_forgets_a_customer_gone():
    """The chain's tables are there but the state is not (a run that built them stopped
    before saving it): everyone is recomputed, and a customer who left the raw files
    since, known to no fingerprint and to no state, must leave every table too."""
    rng = np.random.default_rng(17)
    work = Path(tempfile.mkdtemp(prefix="winback_incremental_no_state_"))
    raw = _generated(work / "generated", customers=100, seed=17)
    raw_dir, incremental, full = work / "raw", work / "incremental.duckdb", work / "full.duckdb"
    for k, tables in enumerate(_batches(raw, rng)):
        _write_batch(raw_dir, k, tables)
    run_dbt_build(raw_dir, incremental)
    _execute(incremental, "drop table main.winback_incremental_state")
    (gone,), = _query(incremental, "select min(customer_id) from main.fct_arr_movements")
    _remove_customers(raw_dir, [gone])
    run_dbt_build(raw_dir, incremental)
    run_dbt_build(raw_dir, full)

    assert _query(incremental, "select count(*) from main.int_subscription_events_dated"
                               f" where customer_id = '{gone}'") == [(0,)]
    assert _differences(incremental, full) == {}


def test_the_last_accepted_usage_row_rejected_changes_every_churn():
    """Product usage that comes down to one accepted row, then a conflicting copy of it
    in a new file: no usage row is accepted any more, so has_usage_data turns false on
    every churn, also on those the run has no other reason to recompute."""
    work = Path(tempfile.mkdtemp(prefix="winback_incremental_no_usage_"))
    raw = _generated(work / "generated", customers=100, seed=16)
    usage = raw["product_usage"]
    day = pd.to_datetime(usage["activity_date"], errors="coerce", format="%Y-%m-%d")
    only = usage[day.notna() & (usage["customer_id"] != "")].iloc[[0]]
    raw_dir, incremental = work / "raw", work / "incremental.duckdb"
    _write_batch(raw_dir, 0, {**raw, "product_usage": only})
    run_dbt_build(raw_dir, incremental)
    before = _query(incremental, "select has_usage_data, count(*)"
                                 " from main.int_churn_usage_before group by 1")
    _write_batch(raw_dir, 1, {"product_usage": only.assign(active_users="999")})
    run_dbt_build(raw_dir, incremental)
    after = _query(incremental, "select has_usage_data, count(*)"
                                " from main.int_churn_usage_before group by 1")
    (rebuilt,), = _query(incremental, "select count(*) from main.int_customers_to_rebuild")

    assert len(before) == 1 and before[0][0] is True and before[0][1] > 1, before
    assert after == [(False, before[0][1])], after
    assert rebuilt == 0
    assert _churn_usage_differences(incremental) == 0
