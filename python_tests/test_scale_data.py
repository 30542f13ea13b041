"""The benchmark's generator (`winback_data.scale`): its files keep the raw contract (keys
unique, every state change in order, a rate for every currency on every date, usage and
campaign members where the accounts are), the same arguments give the same files, and a
build on them rejects nothing and agrees with the oracle."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

import oracle
from conftest import read_table, run_dbt_build
from winback_data import scale

TABLES = ("subscription_events", "customers", "product_usage", "campaigns", "campaign_members",
          "fx_rates", "acquisition_spend")


@pytest.fixture(scope="module")
def csv_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("scale_csv")
    counts = scale.generate(out, customers=3000, seed=5, fmt="csv")
    return out, counts


def _rows(con, path, sql="select * from t"):
    con.execute(f"create or replace view t as select * from read_csv('{path}', all_varchar = true)")
    return con.execute(sql).fetchall()


def test_same_arguments_give_the_same_files(csv_dir, tmp_path):
    out, counts = csv_dir
    again = scale.generate(tmp_path / "again", customers=3000, seed=5, fmt="csv")
    other = scale.generate(tmp_path / "other", customers=3000, seed=6, fmt="csv")
    assert again == counts
    for table in TABLES:
        assert (tmp_path / "again" / f"{table}.csv").read_bytes() == (out / f"{table}.csv").read_bytes(), table
    assert ((tmp_path / "other" / "subscription_events.csv").read_bytes()
            != (out / "subscription_events.csv").read_bytes())


def test_files_keep_the_raw_contract(csv_dir):
    out, counts = csv_dir
    con = duckdb.connect()
    for table in TABLES:
        header = (out / f"{table}.csv").read_text().split("\n", 1)[0].split(",")
        assert header == oracle.RAW_COLUMNS[table], table
        assert _rows(con, out / f"{table}.csv", "select count(*) from t")[0][0] == counts[table], table
    assert counts["subscription_events"] > 8 * 3000 and counts["product_usage"] > 10 * 3000
    assert counts["campaign_members"] > 100

    for table, key in (("subscription_events", "event_id"), ("customers", "customer_id"),
                       ("product_usage", "customer_id, activity_date"),
                       ("campaign_members", "campaign_id, customer_id"), ("fx_rates", "currency, rate_date")):
        dupes = _rows(con, out / f"{table}.csv", f"select {key} from t group by all having count(*) > 1")
        assert dupes == [], (table, dupes[:5])

    events = pd.read_csv(out / "subscription_events.csv", dtype=str, keep_default_na=False)
    staged = oracle.stage_events(events)
    assert len(staged.rejected) == 0 and staged.merged_duplicate_rows == 0, staged.rejected.head()
    types = set(staged.accepted["event_type"])
    assert types == oracle.CANONICAL_TYPES, types
    assert set(events["event_type"]) - oracle.CANONICAL_TYPES, "no aliases written"

    # per subscription, in effective order: one start (first), nothing after a cancellation,
    # a resume only right after a pause
    acc = staged.accepted.sort_values(["subscription_id", "effective_at", "occurred_at"], kind="stable")
    for sub, evs in acc.groupby("subscription_id", sort=False):
        kinds = list(evs["event_type"])
        assert kinds[0] == "subscription_started" and "subscription_started" not in kinds[1:], (sub, kinds)
        if "subscription_canceled" in kinds:
            assert kinds.index("subscription_canceled") == len(kinds) - 1, (sub, kinds)
        for before, after in zip(kinds, kinds[1:]):
            assert (before == "subscription_paused") == (after == "subscription_resumed"), (sub, kinds)
        assert (evs["occurred_at"] <= evs["effective_at"]).all(), sub

    fx = oracle.fx_table(oracle.read_raw_table(out, "fx_rates"), "USD")
    paid = staged.accepted[staged.accepted["currency"].notna() & (staged.accepted["currency"] != "USD")]
    assert len(paid) > 0
    for cur, day in zip(paid["currency"], paid["effective_date"]):
        assert oracle.rate_on(fx, cur, day, "USD") is not None, (cur, day)

    # usage and members belong to accounts that pay (members: that churned before joining)
    lonely = _rows(con, out / "product_usage.csv", f"""
        select u.customer_id, u.activity_date from t as u
        left join (select customer_id, min(effective_at) as first_at
                   from read_csv('{out / 'subscription_events.csv'}', all_varchar = true)
                   group by all) as e on u.customer_id = e.customer_id
        where e.first_at is null or u.activity_date < left(e.first_at, 10)""")
    assert lonely == [], lonely[:5]
    early = _rows(con, out / "campaign_members.csv", f"""
        select m.campaign_id, m.customer_id from t as m
        where not exists (
            select 1 from read_csv('{out / 'subscription_events.csv'}', all_varchar = true) as e
            where e.customer_id = m.customer_id and e.event_type in ('subscription_canceled', 'cancelled')
              and e.effective_at < m.assigned_at)""")
    assert early == [], early[:5]


def test_a_build_on_scale_data_rejects_nothing_and_agrees_with_the_oracle(tmp_path):
    raw = tmp_path / "raw"
    scale.generate(raw, customers=1500, seed=3, fmt="parquet")
    db = tmp_path / "scale.duckdb"
    run_dbt_build(raw, db)
    rejected = read_table(db, "dq_rejected_rows")
    assert len(rejected) == 0, rejected.head()
    res = oracle.run_oracle(raw, {})
    movements = read_table(db, "fct_arr_movements")
    assert len(res.movements) > 1000 and {"reactivation", "churn", "expansion"} <= set(movements.movement_type)
    waterfall = read_table(db, "fct_arr_waterfall")
    problems = (oracle.movement_problems(res.movements, movements, "fct_arr_movements [scale]")
                + oracle.identity_problems(waterfall, "fct_arr_waterfall [scale]")
                + oracle.waterfall_problems(res.waterfall, waterfall, "fct_arr_waterfall [scale]"))
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)
    members = read_table(db, "fct_campaign_performance")
    assert len(members) > 0
