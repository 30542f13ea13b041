"""Staging and data quality: the oracle's parsing rules on hand-made rows, then the
staged events, rejected rows and reconciliation of each generated scenario."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import oracle
from conftest import SIZES, read_table

T = dt.datetime


# --------------------------------------------------------------------------------------
# The oracle's parsing rules on hand-made values
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("2024-03-10", T(2024, 3, 10)),
    ("2024-03-10T09:30:00", T(2024, 3, 10, 9, 30)),
    ("2024-03-10 09:30", T(2024, 3, 10, 9, 30)),
    ("2024-03-10T09:30:00Z", T(2024, 3, 10, 9, 30)),
    ("2024-03-10T01:30:00+02:00", T(2024, 3, 9, 23, 30)),
    ("2024-03-10T22:30:00-0500", T(2024, 3, 11, 3, 30)),
    ("2024-03-10T09:30:00.250+00:00", T(2024, 3, 10, 9, 30, 0, 250000)),
    ("  2024-03-10T09:30:00Z ", T(2024, 3, 10, 9, 30)),
    ("", None),
])
def test_parse_ts(text, expected):
    assert oracle.parse_ts(text) == expected


@pytest.mark.parametrize("text", ["2024-13-01", "2024-02-30", "10/03/2024", "yesterday",
                                  "2024-03-10T25:00:00", "20240310"])
def test_parse_ts_rejects(text):
    with pytest.raises(ValueError):
        oracle.parse_ts(text)


def _events(*rows):
    cols = oracle.RAW_COLUMNS["subscription_events"]
    return pd.DataFrame([{c: r.get(c, "") for c in cols} for r in rows], dtype=str)


GOOD = dict(event_id="e1", customer_id="c1", subscription_id="s1",
            event_type="subscription_started", effective_at="2024-01-01T00:00:00Z",
            billing_period="month", amount="10", currency="usd")


@pytest.mark.parametrize("change,reason", [
    (dict(event_id=""), "missing_event_id"),
    (dict(customer_id=" "), "missing_customer_id"),
    (dict(subscription_id=""), "missing_subscription_id"),
    (dict(event_type=""), "missing_event_type"),
    (dict(effective_at=""), "missing_effective_at"),
    (dict(event_type="subscription_exploded"), "unknown_event_type"),
    (dict(effective_at="31/01/2024"), "unparseable_effective_at"),
    (dict(occurred_at="soon"), "unparseable_occurred_at"),
    (dict(ingested_at="2024-02-31"), "unparseable_ingested_at"),
    (dict(effective_at="0001-01-01"), "implausible_effective_at"),
    (dict(occurred_at="9999-12-31T23:59:59"), "implausible_occurred_at"),
    (dict(ingested_at="1969-12-31T23:59:59Z"), "implausible_ingested_at"),
    (dict(billing_period=""), "missing_billing_period"),
    (dict(billing_period="fortnightly"), "unknown_billing_period"),
    (dict(amount=""), "missing_amount"),
    (dict(amount="ten"), "unparseable_amount"),
    (dict(amount="-5"), "negative_amount"),
    (dict(currency=""), "missing_currency"),
    (dict(currency="ZZZ"), "unknown_currency"),
    (dict(discount_pct="half"), "unparseable_discount_pct"),
    (dict(discount_pct="120"), "discount_pct_out_of_range"),
])
def test_stage_events_rejects_with_reason(change, reason):
    staged = oracle.stage_events(_events({**GOOD, **change}))
    assert staged.accepted.empty
    assert list(staged.rejected["reason"]) == [reason]


def test_stage_events_normalises_aliases():
    rows = [
        {**GOOD, "event_id": "a", "event_type": " Customer.Subscription.Created ",
         "billing_period": "Annual", "amount": "1200", "currency": " eur "},
        {**GOOD, "event_id": "b", "event_type": "CANCELLED", "billing_period": "",
         "amount": "", "currency": ""},
        {**GOOD, "event_id": "c", "event_type": "plan_changed", "billing_period": "Quarterly",
         "amount": "0"},
    ]
    acc = oracle.stage_events(_events(*rows)).accepted.set_index("event_id")
    assert acc.loc["a", "event_type"] == "subscription_started"
    assert (acc.loc["a", "billing_period"], acc.loc["a", "local_arr"]) == ("year", 1200)
    assert acc.loc["a", "currency"] == "EUR"
    assert acc.loc["b", "event_type"] == "subscription_canceled"
    assert acc.loc["b", "local_arr"] == 0 and acc.loc["b", "billing_period"] is None
    assert (acc.loc["c", "event_type"], acc.loc["c", "local_arr"]) == ("subscription_changed", 0)


def test_stage_events_duplicates():
    rows = [
        {**GOOD, "event_id": "d1", "ingested_at": "2024-01-02"},
        {**GOOD, "event_id": "d1", "ingested_at": "2024-01-02"},              # identical
        {**GOOD, "event_id": "d2", "amount": "10", "ingested_at": "2024-01-02"},
        {**GOOD, "event_id": "d2", "amount": "20", "ingested_at": "2024-01-05"},  # latest
        {**GOOD, "event_id": "d2", "amount": "30", "ingested_at": "2024-01-03"},
        # the latest copy is malformed: rejected, not replaced by an older copy
        {**GOOD, "event_id": "d3", "amount": "10", "ingested_at": "2024-01-02"},
        {**GOOD, "event_id": "d3", "amount": "-1", "ingested_at": "2024-01-09"},
        {**GOOD, "event_id": "", "amount": "1"},
        {**GOOD, "event_id": "", "amount": "1"},
    ]
    st = oracle.stage_events(_events(*rows))
    assert dict(zip(st.accepted.event_id, st.accepted.amount)) == {"d1": 10, "d2": 20}
    assert sorted(map(tuple, st.rejected.values.tolist())) == [
        ("", "missing_event_id"), ("", "missing_event_id"), ("d3", "negative_amount")]
    assert st.reconciliation == {"raw_rows": 9, "accepted_rows": 2, "rejected_rows": 3,
                                 "merged_duplicate_rows": 4}


def test_default_as_of_uses_occurred_then_effective():
    rows = [
        {**GOOD, "event_id": "a", "effective_at": "2024-05-01", "occurred_at": "2024-03-01"},
        {**GOOD, "event_id": "b", "effective_at": "2024-04-01T23:30:00-02:00"},
    ]
    assert oracle.default_as_of(oracle.stage_events(_events(*rows)).accepted) == \
        dt.date(2024, 4, 2)


def test_customer_segments():
    cols = oracle.RAW_COLUMNS["customers"]
    raw = pd.DataFrame([{c: r.get(c, "") for c in cols} for r in [
        {"customer_id": "a", "segment": "Mid-Market"},
        {"customer_id": "b", "segment": "SMB"},
        {"customer_id": "b", "segment": "SMB"},          # exact copy: merged
        {"customer_id": "c", "segment": "smb"},
        {"customer_id": "c", "segment": "enterprise"},   # conflicting copies: rejected
        {"customer_id": "d", "segment": ""},
    ]], dtype=str)
    assert oracle.customer_segments(raw) == {"a": "mid_market", "b": "smb", "d": "unknown"}


def test_fx_table_rate_in_force():
    raw = pd.DataFrame([
        {"rate_date": "2024-01-01", "currency": "eur", "rate_to_reporting": "1.1"},
        {"rate_date": "2024-01-10", "currency": "EUR", "rate_to_reporting": "1.2"},
        {"rate_date": "2024-01-05", "currency": "USD", "rate_to_reporting": "7"},  # ignored
        {"rate_date": "2024-01-07", "currency": "EUR", "rate_to_reporting": "-1"},  # bad
    ], dtype=str)
    fx = oracle.fx_table(raw, "USD")
    assert fx == {"EUR": [(dt.date(2024, 1, 1), 1.1), (dt.date(2024, 1, 10), 1.2)]}


# --------------------------------------------------------------------------------------
# Generated scenarios: staging and data quality against the oracle and the generator
# --------------------------------------------------------------------------------------

SIZE_IDS = list(SIZES)


def _fail(problems):
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


def _oracle_staged_frame(staged: oracle.StagedEvents) -> pd.DataFrame:
    acc = staged.accepted.copy()
    acc["amount"] = acc["amount"].astype(float)
    return acc


@pytest.mark.parametrize("size", SIZE_IDS)
def test_oracle_rejections_match_generator(scenarios, size):
    """The oracle itself agrees with what the generator says it broke (self-check)."""
    raw = scenarios.raw_dir(size)
    res = scenarios.oracle(size, "default")
    exp = pd.read_csv(raw / "_expected_rejections.csv", dtype=str, keep_default_na=False)
    exp = exp[exp.source_table == "subscription_events"]
    assert len(exp) > 0, "the generator made no bad event rows: this test would prove nothing"
    _fail(oracle.compare_frames(
        exp, res.staged.rejected.assign(source_key=lambda d: d.source_key.fillna("")),
        ["source_key", "reason"], label=f"oracle vs _expected_rejections [{size}]"))
    merges = pd.read_csv(raw / "_expected_merges.csv", dtype=str, keep_default_na=False)
    row = merges[merges.source_table == "subscription_events"]
    if len(row):
        assert int(row.merged_duplicate_rows.iloc[0]) == res.staged.merged_duplicate_rows


@pytest.mark.parametrize("size", SIZE_IDS)
def test_staged_events_match_oracle(scenarios, size):
    res = scenarios.oracle(size, "default")
    mart = read_table(scenarios.db(size, "default"), "stg_raw__subscription_events")
    _fail(oracle.compare_frames(
        _oracle_staged_frame(res.staged), mart, ["event_id"], money=("amount",),
        exact=("customer_id", "subscription_id", "event_type", "effective_at",
               "occurred_at", "ingested_at", "billing_period", "currency"),
        label=f"stg_raw__subscription_events [{size}]"))


@pytest.mark.parametrize("size", SIZE_IDS)
def test_rejected_events_match_oracle(scenarios, size):
    res = scenarios.oracle(size, "default")
    mart = read_table(scenarios.db(size, "default"), "dq_rejected_rows")
    mart = mart[mart.source_table == "subscription_events"].copy()
    mart["source_key"] = mart["source_key"].fillna("")
    _fail(oracle.compare_frames(
        res.staged.rejected, mart, ["source_key", "reason"],
        label=f"dq_rejected_rows (subscription_events) [{size}]"))


@pytest.mark.parametrize("size", SIZE_IDS)
def test_rejected_rows_match_generator(scenarios, size):
    """Every table: what the generator broke is what dq_rejected_rows reports."""
    raw = scenarios.raw_dir(size)
    exp = pd.read_csv(raw / "_expected_rejections.csv", dtype=str, keep_default_na=False)
    mart = read_table(scenarios.db(size, "default"), "dq_rejected_rows")
    mart["source_key"] = mart["source_key"].fillna("")
    _fail(oracle.compare_frames(
        exp, mart, ["source_table", "source_key", "reason"],
        label=f"dq_rejected_rows vs _expected_rejections [{size}]"))


@pytest.mark.parametrize("size", SIZE_IDS)
def test_reconciliation(scenarios, size):
    raw = scenarios.raw_dir(size)
    res = scenarios.oracle(size, "default")
    rec = read_table(scenarios.db(size, "default"), "dq_reconciliation").set_index("source_table")
    problems = []
    # every table: raw = accepted + rejected + merged, and raw is the file's row count
    for table in oracle.RAW_COLUMNS:
        if table not in rec.index:
            problems.append(f"dq_reconciliation has no row for {table}")
            continue
        r = rec.loc[table]
        n_file = len(oracle.read_raw_table(raw, table))
        if int(r.raw_rows) != n_file:
            problems.append(f"{table}: raw_rows {r.raw_rows} but the file has {n_file} rows")
        if int(r.raw_rows) != int(r.accepted_rows + r.rejected_rows + r.merged_duplicate_rows):
            problems.append(f"{table}: raw != accepted + rejected + merged: {dict(r)}")
    merges = pd.read_csv(raw / "_expected_merges.csv", dtype=str, keep_default_na=False)
    for _, m in merges.iterrows():
        got = rec["merged_duplicate_rows"].get(m.source_table)
        if got is not None and int(got) != int(m.merged_duplicate_rows):
            problems.append(f"{m.source_table}: merged_duplicate_rows {got} but the "
                            f"generator merged {m.merged_duplicate_rows}")
    ev = rec.loc["subscription_events"] if "subscription_events" in rec.index else None
    if ev is not None:
        got = {k: int(ev[k]) for k in res.staged.reconciliation}
        if got != res.staged.reconciliation:
            problems.append(f"subscription_events: mart {got} vs oracle "
                            f"{res.staged.reconciliation}")
    _fail(problems)
