"""A corpus of bad (and oddly spelled) input, each class with its expected outcome:

- rejected: the build succeeds, the row is in `dq_rejected_rows` with the reason,
  reconciliation balances (its test runs in the build) and the good rows' numbers are
  unchanged;
- stop: the build fails and its message names the file, column or rows;
- accepted: the value is read as the stated value.

Row-level classes are independent accounts and rows with their own ids, so they all
share one folder and one build; a class about a file's shape needs a folder of its own.
Every folder also holds the same good accounts (`GOOD_EVENTS`), whose movements are
checked against numbers worked out by hand.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import oracle
from conftest import raw_views_readable, read_table, run_dbt_build

AS_OF = "2024-06-30"
VARS = {"as_of_date": AS_OF, "movement_grain": "day", "reactivation_window_months": 24,
        "reporting_currency": "USD"}
# The models a file-shape case needs: staging, the data-quality marts and the ARR path.
SHAPE_SELECT = "+dq_reconciliation +dq_rejected_rows +fct_arr_movements +dim_customers"


def ev(event_id, customer_id, event_type="subscription_started", effective_at="2024-03-01",
       amount="100", currency="USD", billing_period="month", occurred_at="", sub=None,
       **extra) -> dict:
    return {"event_id": event_id, "customer_id": customer_id,
            "subscription_id": sub or f"{str(customer_id).strip()}-S1",
            "event_type": event_type, "effective_at": effective_at, "occurred_at": occurred_at,
            "plan_id": "p", "billing_period": billing_period, "amount": amount,
            "currency": currency, **extra}


def cust(customer_id, segment="smb", **extra) -> dict:
    return {"customer_id": customer_id, "customer_name": f"Name {customer_id}",
            "email": f"{str(customer_id).strip().lower()}@example.com", "segment": segment,
            "country": "US", "created_at": "2023-06-01", **extra}


# The good accounts in every folder, and their movements worked out by hand:
# G1 pays 100 USD a month, G2 1000 EUR a year at 1.10 USD per EUR, G3 50 USD a month
# until its cancellation takes effect on 2024-04-15.
GOOD_EVENTS = [
    ev("G1-E1", "G1", effective_at="2024-01-10", amount="100"),
    ev("G2-E1", "G2", effective_at="2024-02-01", amount="1000", currency="EUR",
       billing_period="year"),
    ev("G3-E1", "G3", effective_at="2024-01-15", amount="50"),
    ev("G3-E2", "G3", event_type="subscription_canceled", effective_at="2024-04-15",
       occurred_at="2024-04-01", amount="", currency="", billing_period="",
       churn_reason="too expensive"),
]
GOOD_CUSTOMERS = [cust("G1"), cust("G2", "enterprise"), cust("G3", "mid_market")]
GOOD_MOVEMENTS = {("G1", "new", 1200.0), ("G2", "new", 1100.0), ("G3", "new", 600.0),
                  ("G3", "churn", -600.0)}
GOOD_FX = [{"rate_date": "2023-12-01", "currency": "EUR", "rate_to_reporting": "1.10"},
           {"rate_date": "2023-12-01", "currency": "GBP", "rate_to_reporting": "1.25"}]
GOOD_CAMPAIGN = {"campaign_id": "K1", "campaign_name": "Spring", "campaign_type": "winback_discount",
                 "channel": "email", "target_segment": "smb", "started_at": "2024-02-01",
                 "ended_at": "2024-03-01", "cost": "500", "currency": "USD"}


@dataclass
class Case:
    """One class of input: the rows it adds and what must come of them."""

    name: str
    outcome: str                      # "rejected" or "accepted"
    rows: dict[str, list[dict]]
    reason: str | None = None         # rejected: the reason every added row gets
    table: str = "subscription_events"
    check: object = None              # accepted: f(Built) -> list of problems
    keys: list[str] = field(default_factory=list)  # rejected: the source_keys expected


def rejected(name, reason, table="subscription_events", keys=None, **rows):
    rows = {t: r if isinstance(r, list) else [r] for t, r in rows.items()}
    if keys is None:
        keys = [r.get("event_id") or r.get("customer_id") or r.get("campaign_id")
                for r in rows.get(table, [])]
    return Case(name, "rejected", rows, reason=reason, table=table, keys=keys)


def accepted(name, check, **rows):
    rows = {t: r if isinstance(r, list) else [r] for t, r in rows.items()}
    return Case(name, "accepted", rows, check=check)


# Which raw file a staged row was read from, and that file's version: they differ from
# one folder of files to another by design, so comparisons of two folders leave them aside.
FILE_COLUMNS = ["raw_file", "raw_file_version"]


class Built:
    """The marts of one build, read once."""

    def __init__(self, db: Path):
        self.db = db
        self._tables: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            self._tables[name] = read_table(self.db, name)
        return self._tables[name]

    def movements(self, customer_id) -> set[tuple]:
        mv = self["fct_arr_movements"]
        mv = mv[mv.customer_id == customer_id]
        return {(r.customer_id, r.movement_type, round(float(r.arr_change), 2))
                for r in mv.itertuples()}

    def event(self, event_id) -> pd.Series | None:
        stg = self["stg_raw__subscription_events"]
        hit = stg[stg.event_id == event_id]
        return None if hit.empty else hit.iloc[0]


def arr_is(customer_id, *expected):
    def check(b: Built):
        got = b.movements(customer_id)
        want = {(customer_id, t, v) for t, v in expected}
        return [] if got == want else [f"movements of {customer_id}: {sorted(got)}, "
                                       f"expected {sorted(want)}"]
    return check


def effective_is(event_id, instant):
    def check(b: Built):
        row = b.event(event_id)
        if row is None:
            return [f"{event_id} was not accepted"]
        got = pd.Timestamp(row.effective_at)
        return [] if got == pd.Timestamp(instant) else [f"{event_id}: effective_at {got}, "
                                                        f"expected {instant}"]
    return check


def dim_is(customer_id, **expected):
    def check(b: Built):
        dim = b["dim_customers"].set_index("customer_id")
        if customer_id not in dim.index:
            return [f"{customer_id!r} is not in dim_customers"]
        row = dim.loc[customer_id]
        return [f"dim_customers {customer_id!r}.{k} = {row[k]!r}, expected {v!r}"
                for k, v in expected.items() if row[k] != v]
    return check


def all_of(*checks):
    return lambda b: [p for c in checks for p in c(b)]


CONFLICTING_TWICE = [cust("CC1", "smb"), cust("CC1", "enterprise")]

CASES = [
    # -- numbers in odd spellings ---------------------------------------------------------
    rejected("amount with a thousands separator", "unparseable_amount",
             subscription_events=ev("N01", "N01", amount="1,000.00")),
    rejected("amount with a currency symbol", "unparseable_amount",
             subscription_events=ev("N02", "N02", amount="$100")),
    rejected("amount with digit-group underscores", "unparseable_amount",
             subscription_events=ev("N03", "N03", amount="1_000")),
    rejected("amount with a decimal comma", "unparseable_amount",
             subscription_events=ev("N04", "N04", amount="99,50")),
    rejected("amount not a number", "unparseable_amount",
             subscription_events=ev("N05", "N05", amount="NaN")),
    rejected("negative amount", "negative_amount",
             subscription_events=ev("N06", "N06", amount="-5")),
    accepted("amount in exponent notation", arr_is("N07", ("new", 14400.0)),
             subscription_events=ev("N07", "N07", amount="1.2e3")),
    accepted("amount with a plus sign and spaces", arr_is("N08", ("new", 1200.0)),
             subscription_events=ev("N08", "N08", amount=" +100 ")),
    rejected("discount out of range", "discount_pct_out_of_range",
             subscription_events=ev("N09", "N09", discount_pct="150")),
    # -- dates and times --------------------------------------------------------------------
    rejected("impossible day of month", "unparseable_effective_at",
             subscription_events=ev("T01", "T01", effective_at="2024-02-30")),
    rejected("month 13", "unparseable_effective_at",
             subscription_events=ev("T02", "T02", effective_at="2024-13-01")),
    rejected("hour 25", "unparseable_effective_at",
             subscription_events=ev("T03", "T03", effective_at="2024-03-05T25:00:00")),
    rejected("day/month/year spelling", "unparseable_effective_at",
             subscription_events=ev("T04", "T04", effective_at="05/03/2024")),
    rejected("epoch seconds", "unparseable_effective_at",
             subscription_events=ev("T05", "T05", effective_at="1709251200")),
    rejected("named time zone instead of an offset", "unparseable_effective_at",
             subscription_events=ev("T06", "T06",
                                    effective_at="2024-03-10T02:30:00 America/New_York")),
    rejected("year 0001", "implausible_effective_at",
             subscription_events=ev("T07", "T07", effective_at="0001-01-01")),
    rejected("year 9999", "implausible_occurred_at",
             subscription_events=ev("T08", "T08", occurred_at="9999-12-31T23:59:59")),
    accepted("offset converted to UTC across midnight",
             effective_is("T09", "2024-03-01T04:30:00"),
             subscription_events=ev("T09", "T09", effective_at="2024-02-29T23:30:00-05:00")),
    accepted("offset on a DST change (a local time that does not exist)",
             effective_is("T10", "2024-03-10T07:30:00"),
             subscription_events=ev("T10", "T10", effective_at="2024-03-10T02:30:00-05:00")),
    accepted("24:00 as the next midnight", effective_is("T11", "2024-03-06T00:00:00"),
             subscription_events=ev("T11", "T11", effective_at="2024-03-05T24:00:00")),
    accepted("leap day", effective_is("T12", "2024-02-29T00:00:00"),
             subscription_events=ev("T12", "T12", effective_at="2024-02-29")),
    # -- enums and currencies ---------------------------------------------------------------
    rejected("unknown event type", "unknown_event_type",
             subscription_events=ev("U01", "U01", event_type="subscription_teleported")),
    accepted("event type in another case with spaces", arr_is("U02", ("new", 1200.0)),
             subscription_events=ev("U02", "U02",
                                    event_type=" Customer.Subscription.Created ")),
    rejected("unknown currency", "unknown_currency",
             subscription_events=ev("U03", "U03", currency="XYZ")),
    accepted("currency in lower case", arr_is("U04", ("new", 1320.0)),
             subscription_events=ev("U04", "U04", currency="eur")),
    rejected("unknown billing period", "unknown_billing_period",
             subscription_events=ev("U05", "U05", billing_period="fortnight")),
    rejected("unknown segment", "unknown_segment", table="customers",
             customers=cust("U06", "galactic")),
    # Two rows without an event_id: each is rejected, neither is a copy of the other.
    rejected("missing event id", "missing_event_id", keys=["(no key)", "(no key)"],
             subscription_events=[ev("", "U07"), ev(" ", "U07B")]),
    rejected("zero exchange rate", "non_positive_rate_to_reporting", table="fx_rates",
             keys=["CHF|2024-01-01"],
             fx_rates={"rate_date": "2024-01-01", "currency": "CHF", "rate_to_reporting": "0"}),
    rejected("negative exchange rate", "non_positive_rate_to_reporting", table="fx_rates",
             keys=["JPY|2024-01-01"],
             fx_rates={"rate_date": "2024-01-01", "currency": "JPY",
                       "rate_to_reporting": "-0.007"}),
    rejected("unknown campaign type", "unknown_campaign_type", table="campaigns",
             campaigns={**GOOD_CAMPAIGN, "campaign_id": "K02", "campaign_type": "telepathy"}),
    rejected("negative usage", "negative_active_users", table="product_usage",
             keys=["G1|2024-03-02"],
             product_usage={"customer_id": "G1", "activity_date": "2024-03-02",
                            "active_users": "-3", "events_count": "10"}),
    rejected("spend month not a first day", "month_not_first_day", table="acquisition_spend",
             keys=["2024-03-15|paid_search"],
             acquisition_spend={"month": "2024-03-15", "channel": "paid_search",
                                "spend": "100", "currency": "USD"}),
    # -- relations --------------------------------------------------------------------------
    accepted("events for an account missing from customers",
             all_of(arr_is("R01", ("new", 1200.0)),
                    dim_is("R01", segment="unknown", is_missing_from_customers=True)),
             subscription_events=ev("R01", "R01")),
    rejected("conflicting copies of a customer", "conflicting_duplicate_key",
             table="customers", keys=["CC1", "CC1"], customers=CONFLICTING_TWICE),
    accepted("identical copies of a customer are merged",
             dim_is("CD1", segment="enterprise", has_conflicting_customer_rows=False),
             customers=[cust("CD1", "enterprise"), cust("CD1", "enterprise")]),
    accepted("conflicting copies of an event: the latest ingested copy is kept",
             arr_is("R02", ("new", 2400.0)),
             subscription_events=[ev("R02", "R02", amount="100", ingested_at="2024-03-01T01:00"),
                                  ev("R02", "R02", amount="200", ingested_at="2024-03-02T01:00")]),
    accepted("a subscription that starts with a cancellation moves no ARR",
             all_of(arr_is("R03"), lambda b: [] if b.event("R03-E1") is not None
                    else ["R03-E1 was not accepted"]),
             subscription_events=ev("R03-E1", "R03", event_type="subscription_canceled",
                                    amount="", currency="", billing_period="")),
    accepted("ids with surrounding spaces are the same account",
             all_of(arr_is("R04", ("new", 1200.0)), dim_is("R04", segment="enterprise")),
             subscription_events=ev("R04", "  R04 "), customers=cust(" R04", "enterprise")),
    accepted("ids that differ in case are different accounts",
             all_of(dim_is("R05", segment="enterprise", is_missing_from_customers=False),
                    dim_is("r05", segment="unknown", is_missing_from_customers=True),
                    arr_is("r05", ("new", 1200.0))),
             subscription_events=ev("R05-E1", "r05"), customers=cust("R05", "enterprise")),
    rejected("campaign member of an unknown campaign", "unknown_campaign",
             table="campaign_members", keys=["KX|G1"],
             campaign_members={"campaign_id": "KX", "customer_id": "G1",
                               "member_group": "treatment", "assigned_at": "2024-02-01"}),
    rejected("campaign that ends before it starts", "ended_before_started", table="campaigns",
             campaigns={**GOOD_CAMPAIGN, "campaign_id": "K03", "ended_at": "2024-01-01"}),
    rejected("control member who was touched", "control_member_touched",
             table="campaign_members", keys=["K1|G3"],
             campaign_members={"campaign_id": "K1", "customer_id": "G3",
                               "member_group": "control", "assigned_at": "2024-02-01",
                               "touched_at": "2024-02-02"}),
]
CASE_IDS = [c.name for c in CASES]
assert len(set(CASE_IDS)) == len(CASE_IDS)


def write_folder(path: Path, cases=(), fx=GOOD_FX) -> Path:
    tables = {"subscription_events": list(GOOD_EVENTS), "customers": list(GOOD_CUSTOMERS),
              "fx_rates": list(fx), "campaigns": [GOOD_CAMPAIGN]}
    for case in cases:
        for table, rows in case.rows.items():
            tables.setdefault(table, []).extend(rows)
    raw = oracle.write_raw_dir(path, **tables)
    for file in raw.glob("*.csv"):  # the csv module ends lines with CRLF; start from LF
        _rewrite(file, lambda b: b.replace(b"\r\n", b"\n"))
    return raw


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory) -> Built:
    """Every row-level class in one folder and one whole build (every data test runs)."""
    work = tmp_path_factory.mktemp("corpus")
    raw = write_folder(work / "raw", CASES)
    run_dbt_build(raw, work / "out.duckdb", VARS)
    built = Built(work / "out.duckdb")
    built.raw = raw
    return built


def test_oracle_agrees_on_every_event_and_every_movement(corpus_build):
    """The pandas oracle, from the same raw files by its own route: the same events
    rejected for the same reasons, and the same movements for every account."""
    res = oracle.run_oracle(corpus_build.raw, VARS)
    rej = corpus_build["dq_rejected_rows"]
    rej = rej[rej.source_table == "subscription_events"]
    assert sorted(zip(rej.source_key, rej.reason)) == \
        sorted(zip(res.staged.rejected.source_key.replace("", "(no key)").fillna("(no key)"), res.staged.rejected.reason))
    assert oracle.movement_problems(res.movements, corpus_build["fct_arr_movements"],
                                    "fct_arr_movements") == []


def test_good_accounts_keep_their_numbers_beside_the_whole_corpus(corpus_build):
    got = set().union(*(corpus_build.movements(c) for c in ("G1", "G2", "G3")))
    assert got == GOOD_MOVEMENTS


def test_reconciliation_counts_the_conflicting_rows(corpus_build):
    recon = corpus_build["dq_reconciliation"].set_index("source_table")
    assert recon.loc["customers", "conflicting_duplicate_rows"] == len(CONFLICTING_TWICE)
    assert recon.loc["subscription_events", "conflicting_duplicate_rows"] == 0
    # identical customer copies and the older event copy are merged, not rejected
    assert recon.loc["customers", "merged_duplicate_rows"] == 1
    assert recon.loc["subscription_events", "merged_duplicate_rows"] == 1
    for table, row in recon.iterrows():
        assert row.raw_rows == row.accepted_rows + row.rejected_rows + row.merged_duplicate_rows
    dim = corpus_build["dim_customers"].set_index("customer_id")
    assert bool(dim.loc["CC1", "has_conflicting_customer_rows"])
    assert dim.loc["CC1", "conflicting_columns"] == "segment"
    assert dim.loc["CC1", "segment"] == "unknown"


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_corpus_case(corpus_build, case):
    rejected_rows = corpus_build["dq_rejected_rows"]
    if case.outcome == "rejected":
        mine = rejected_rows[(rejected_rows.source_table == case.table)
                             & rejected_rows.source_key.isin(case.keys)]
        assert sorted(mine.source_key) == sorted(case.keys), \
            f"{case.name}: rejected rows {mine.to_dict('records')}"
        assert set(mine.reason) == {case.reason}, f"{case.name}: {mine.to_dict('records')}"
    else:
        ids = {str(r.get("event_id") or r.get("customer_id")).strip()
               for rows in case.rows.values() for r in rows}
        mine = rejected_rows[rejected_rows.source_key.str.strip().isin(ids)]
        assert mine.empty, f"{case.name}: rows were rejected: {mine.to_dict('records')}"
        assert case.check(corpus_build) == []


# -- the shape of a file: a folder each ----------------------------------------------------

def _rewrite(path: Path, transform) -> None:
    path.write_bytes(transform(path.read_bytes()))


def _events_csv(raw: Path) -> Path:
    return raw / "subscription_events.csv"


def _parquet_events(raw: Path, typed: bool | None) -> None:
    """The events file as Parquet: typed columns (timestamps, numbers), an int64
    effective_at written as epoch seconds (False), or every column as text plus an extra
    column named as DuckDB's row number in a file (None)."""
    frame = pd.read_csv(_events_csv(raw), dtype=str, keep_default_na=False)
    _events_csv(raw).unlink()
    con = duckdb.connect()
    con.register("frame", frame)
    if typed is None:
        sql = "select *, 'x' as File_Row_Number from frame"
    elif typed:
        sql = ("select * replace (cast(effective_at as timestamp) as effective_at, "
               "cast(nullif(amount, '') as double) as amount) from frame")
    else:
        sql = ("select * replace (cast(epoch(cast(effective_at as timestamp)) as bigint) "
               "as effective_at) from frame")
    con.execute(f"copy ({sql}) to '{raw / 'subscription_events.parquet'}' (format parquet)")
    con.close()


def _append_line(table: str, line: str):
    def shape(raw: Path):
        path = raw / f"{table}.csv"
        path.write_text(path.read_text() + line + "\n")
    return shape


def _header(transform):
    def shape(raw: Path):
        lines = _events_csv(raw).read_text().split("\n")
        _events_csv(raw).write_text("\n".join([transform(lines[0])] + lines[1:]))
    return shape


def _extra_column(raw: Path):
    lines = _events_csv(raw).read_text().rstrip("\n").split("\n")
    _events_csv(raw).write_text("\n".join([lines[0] + ",plan_name"]
                                          + [ln + ",Gold" for ln in lines[1:]]) + "\n")


def _quoted_newline(raw: Path):
    row = ev("F01", "F01", event_type="subscription_canceled", amount="", currency="",
             billing_period="", churn_reason="too expensive\nand slow")
    buffer = io.StringIO()
    csv.DictWriter(buffer, fieldnames=oracle.RAW_COLUMNS["subscription_events"],
                   restval="", lineterminator="\n").writerow(row)
    _events_csv(raw).write_text(_events_csv(raw).read_text() + buffer.getvalue())


def _latin1_customer(raw: Path):
    path = raw / "customers.csv"
    path.write_bytes(path.read_bytes() + "F02,Müller GmbH,m@example.com,smb,DE,2023-06-01\n"
                     .encode("latin-1"))


def _churn_reason_of(event_id, text):
    def check(b: Built):
        row = b.event(event_id)
        return [] if row is not None and row.churn_reason == text else \
            [f"{event_id}: {None if row is None else row.churn_reason!r}"]
    return check


def _malformed(table, count=1):
    def check(b: Built):
        rej = b["dq_rejected_rows"]
        got = int(((rej.source_table == table) & (rej.reason == "malformed_csv_line")).sum())
        return [] if got == count else [f"{got} malformed {table} lines, expected {count}"]
    return check


def _row_count(table, count):
    def check(b: Built):
        got = len(b[table])
        return [] if got == count else [f"{table} has {got} rows, expected {count}"]
    return check


@dataclass
class Shape:
    name: str
    outcome: str                     # "accepted", "rejected" or "stop"
    shape: object                    # f(raw folder) rewriting its files
    check: object = None             # accepted/rejected: f(Built) -> problems
    message: tuple = ()              # stop: texts the failure must contain
    extra: list = field(default_factory=list)  # rows added before the shape is applied


SHAPES = [
    Shape("UTF-8 byte order mark", "accepted",
          lambda raw: _rewrite(_events_csv(raw), lambda b: b"\xef\xbb\xbf" + b)),
    Shape("CRLF line endings", "accepted",
          lambda raw: [_rewrite(raw / f"{t}.csv", lambda b: b.replace(b"\n", b"\r\n"))
                       for t in ("subscription_events", "customers", "fx_rates")]),
    Shape("header names in mixed case with spaces", "accepted",
          _header(lambda h: ",".join(f" {c.upper()} " if i % 2 else c.title()
                                     for i, c in enumerate(h.split(","))))),
    Shape("an extra column", "accepted", _extra_column),
    Shape("a quoted field with a newline", "accepted", _quoted_newline,
          check=_churn_reason_of("F01", "too expensive\nand slow")),
    Shape("a very long field", "accepted",
          _append_line("subscription_events",
                       "F03,F03,F03-S1,subscription_canceled,2024-03-01,,,,,,,"
                       + "x" * 200_000 + ",,"),
          check=lambda b: [] if len(b.event("F03").churn_reason) == 200_000 else ["F03"]),
    Shape("a line with too many fields", "rejected",
          _append_line("subscription_events",
                       "F04,F04,F04-S1,subscription_started,2024-03-01,,p,month,100,USD,,,,,9,9"),
          check=_malformed("subscription_events")),
    Shape("a line with too few fields", "rejected",
          _append_line("customers", "F05,Short"), check=_malformed("customers")),
    Shape("a line that is not UTF-8", "rejected", _latin1_customer,
          check=_malformed("customers")),
    Shape("a null byte inside a field is kept as written", "accepted",
          _append_line("customers", "F06,Nul\x00l,n@example.com,smb,US,2023-06-01"),
          check=lambda b: [] if "Nul\x00l" in set(b["stg_raw__customers"].customer_name)
          else ["F06's name was not read as written"]),
    Shape("an optional table as an empty file", "stop",
          lambda raw: (raw / "product_usage.csv").write_bytes(b""),
          message=("product_usage.csv is empty: not even a header row",
                   "customer_id,activity_date")),
    Shape("an optional table with only its header", "accepted",
          lambda raw: None, check=_row_count("stg_raw__product_usage", 0)),
    Shape("Parquet with typed columns", "accepted", lambda raw: _parquet_events(raw, True)),
    Shape("Parquet with an extra column named file_row_number", "accepted",
          lambda raw: _parquet_events(raw, None)),
    Shape("Parquet with epoch numbers for effective_at", "stop",
          lambda raw: _parquet_events(raw, False),
          message=("no row of the raw table subscription_events",
                   "unparseable_effective_at (column effective_at")),
    Shape("the events table as an empty file", "stop",
          lambda raw: _events_csv(raw).write_bytes(b""),
          message=("subscription_events.csv is empty: not even a header row",)),
    Shape("a semicolon as delimiter", "stop",
          lambda raw: _rewrite(_events_csv(raw), lambda b: b.replace(b",", b";")),
          message=("subscription_events.csv has no column 'event_id'",)),
    Shape("a column named twice", "stop",
          _header(lambda h: h.replace("plan_id", "Amount")),
          message=("subscription_events.csv names the column 'amount' more than once",)),
]


@pytest.mark.parametrize("shape", SHAPES, ids=[s.name for s in SHAPES])
def test_file_shape(tmp_path, shape):
    raw = write_folder(tmp_path / "raw")
    shape.shape(raw)
    db = tmp_path / "out.duckdb"
    if shape.outcome == "stop":
        proc = run_dbt_build(raw, db, VARS, select=SHAPE_SELECT, expect_fail=True)
        text = proc.stdout + proc.stderr
        for piece in shape.message:
            assert piece in text, f"{shape.name}: the failure does not say {piece!r}"
        return
    run_dbt_build(raw, db, VARS, select=SHAPE_SELECT)
    built = Built(db)
    got = set().union(*(built.movements(c) for c in ("G1", "G2", "G3")))
    assert got == GOOD_MOVEMENTS, shape.name
    recon = built["dq_reconciliation"]
    assert (recon.raw_rows == recon.accepted_rows + recon.rejected_rows
            + recon.merged_duplicate_rows).all()
    if shape.outcome == "accepted" and shape.check is None:
        assert built["dq_rejected_rows"].empty, built["dq_rejected_rows"].to_dict("records")
    if shape.check is not None:
        assert shape.check(built) == []


# -- typed Parquet timestamps: read as they are, equal to their text -----------------------

TYPED_EVENTS = [
    # an offset, a bare date and `Z`; same-instant ties decided by occurred_at
    ev("T1-E1", "T1", effective_at="2024-03-01T10:00:00+02:00", occurred_at="2024-02-20",
       ingested_at="2024-03-02 00:00:00"),
    ev("T1-E2", "T1", event_type="subscription_changed", effective_at="2024-05-15",
       amount="150", occurred_at="2024-05-01", ingested_at="2024-05-02 00:00:00",
       discount_pct="12.5"),
    ev("T1-E3", "T1", event_type="subscription_changed", effective_at="2024-05-15",
       amount="175", occurred_at="2024-05-03", ingested_at="2024-05-04 00:00:00"),
    ev("T1-E4", "T1", event_type="subscription_canceled", effective_at="2024-07-01T00:00:00Z",
       amount="", currency="", billing_period="", occurred_at="2024-06-10",
       ingested_at="2024-06-11 00:00:00"),
    # two copies of one event_id: the later ingested copy (200) survives
    ev("T2-E1", "T2", amount="100", occurred_at="2024-02-01", ingested_at="2024-02-01 09:00:00"),
    ev("T2-E1", "T2", amount="200", occurred_at="2024-02-01", ingested_at="2024-02-03 09:00:00"),
    # no occurred_at and no ingested_at; an amount with more places than the money type
    ev("T3-E1", "T3", effective_at="2024-04-01T23:30:00-01:00", amount="80.12345675"),
    # rejected for its amount, whatever the timestamps' type
    ev("T4-E1", "T4", amount="-5", occurred_at="2024-03-01", ingested_at="2024-03-01 00:00:00"),
]


def _typed_parquet_tables(raw: Path) -> None:
    """The events file as Parquet with effective_at TIMESTAMPTZ, occurred_at DATE,
    ingested_at TIMESTAMP, amount DECIMAL(18,8) and discount_pct DECIMAL(9,4), customers
    with created_at TIMESTAMPTZ and product usage with activity_date DATE, active_users
    BIGINT and events_count INTEGER, each the instant, day or number its text means."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    for table, replace in (
            ("subscription_events", "cast(effective_at as timestamptz) as effective_at,"
             " cast(nullif(occurred_at, '') as date) as occurred_at,"
             " cast(nullif(ingested_at, '') as timestamp) as ingested_at,"
             " cast(nullif(amount, '') as decimal(18, 8)) as amount,"
             " cast(nullif(discount_pct, '') as decimal(9, 4)) as discount_pct"),
            ("customers", "cast(created_at as timestamptz) as created_at"),
            ("product_usage", "cast(activity_date as date) as activity_date,"
             " cast(nullif(active_users, '') as bigint) as active_users,"
             " cast(nullif(events_count, '') as integer) as events_count")):
        csv_path = raw / f"{table}.csv"
        frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
        csv_path.unlink()
        con.register("frame", frame)
        con.execute(f"copy (select * replace ({replace}) from frame)"
                    f" to '{raw / (table + '.parquet')}' (format parquet)")
        con.unregister("frame")
    con.close()


# Usage rows for the typed test: a day given twice alike (one merged copy), a day given
# twice differently (both rejected), a negative count (rejected).
TYPED_USAGE = [
    {"customer_id": "T1", "activity_date": "2024-03-02", "active_users": "3", "events_count": "10"},
    {"customer_id": "T1", "activity_date": "2024-03-02", "active_users": "3", "events_count": "10"},
    {"customer_id": "T1", "activity_date": "2024-03-03", "active_users": "2", "events_count": "7"},
    {"customer_id": "T1", "activity_date": "2024-03-04", "active_users": "1", "events_count": ""},
    {"customer_id": "T2", "activity_date": "2024-03-05", "active_users": "1", "events_count": "4"},
    {"customer_id": "T2", "activity_date": "2024-03-05", "active_users": "2", "events_count": "4"},
    {"customer_id": "T3", "activity_date": "2024-03-06", "active_users": "-1", "events_count": "4"},
]


def _raw_view_counts(db: Path):
    """The typed twins the raw views of a build have, and per raw view of events and of
    usage the non-null count of a text column and of its twin."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        twins = {tuple(r) for r in con.execute(
            "select table_name, column_name from information_schema.columns"
            " where table_schema = 'raw' and (column_name like '%\\_\\_utc' escape '\\'"
            " or column_name like '%\\_\\_number' escape '\\')"
        ).fetchall()}
        # a twinned column's text is left null: its twin's text is written only where needed
        texts = con.execute(
            "select count(effective_at), count(effective_at__utc), count(amount),"
            " count(amount__number), count(event_id) from raw.subscription_events").fetchone()
        usage_texts = con.execute(
            "select count(activity_date), count(activity_date__utc), count(events_count),"
            " count(events_count__number) from raw.product_usage").fetchone()
        return twins, texts, usage_texts
    finally:
        con.close()


def test_typed_parquet_timestamps_give_what_their_text_gives(tmp_path):
    """Typed timestamp, date and number columns skip the text parser (the loader adds
    `<column>__utc` and `<column>__number`), and the accepted events, the surviving copy, the movements, the
    customers, the usage days, the merged copies and the rejected rows are those of the
    same rows written as text."""
    customers = GOOD_CUSTOMERS + [cust("T1", created_at="2023-06-01T23:30:00-02:00"),
                                  cust("T2"), cust("T2"), cust("T3"), cust("T4")]
    built = {}
    for form in ("text", "typed"):
        raw = oracle.write_raw_dir(tmp_path / form, subscription_events=GOOD_EVENTS + TYPED_EVENTS,
                                   customers=customers, fx_rates=GOOD_FX, product_usage=TYPED_USAGE)
        if form == "typed":
            _typed_parquet_tables(raw)
        db = tmp_path / f"{form}.duckdb"
        # the unit tests too on the typed files: their fixtures give the columns as text,
        # beside twins they leave null
        run_dbt_build(raw, db, VARS, select=SHAPE_SELECT + " +stg_raw__product_usage",
                      unit_tests=form == "typed")
        built[form] = Built(db)
    with raw_views_readable(tmp_path / "typed"):
        twins, texts, usage_texts = _raw_view_counts(tmp_path / "typed.duckdb")
    assert texts[0] == texts[2] == 0 and texts[1] == texts[4] and texts[3] > 0
    assert usage_texts[0] == usage_texts[2] == 0 and usage_texts[1] > 0 and usage_texts[3] > 0
    assert twins == {("subscription_events", "effective_at__utc"),
                     ("subscription_events", "occurred_at__utc"),
                     ("subscription_events", "ingested_at__utc"),
                     ("subscription_events", "amount__number"),
                     ("subscription_events", "discount_pct__number"),
                     ("customers", "created_at__utc"), ("product_usage", "activity_date__utc"),
                     ("product_usage", "active_users__number"),
                     ("product_usage", "events_count__number")}
    for model, order in (("stg_raw__subscription_events", ["event_id"]),
                         ("fct_arr_movements", ["customer_id", "movement_date", "movement_type"]),
                         ("stg_raw__customers", ["customer_id"]),
                         ("stg_raw__product_usage", ["customer_id", "activity_date"]),
                         ("dq_reconciliation", ["source_table"])):
        text, typed = (built[f][model].drop(columns=FILE_COLUMNS, errors="ignore")
                       for f in ("text", "typed"))
        pd.testing.assert_frame_equal(text.sort_values(order).reset_index(drop=True),
                                      typed.sort_values(order).reset_index(drop=True),
                                      check_dtype=False, obj=model)
    assert built["typed"].event("T1-E1").effective_at == pd.Timestamp("2024-03-01 08:00:00")
    assert built["typed"].event("T1-E3").amount == 175
    assert built["typed"].event("T2-E1").amount == 200
    assert built["typed"].event("T3-E1").amount == pytest.approx(80.123457, abs=1e-9)
    assert built["typed"].event("T1-E2").discount_pct == 12.5
    staged = built["typed"]["stg_raw__customers"].set_index("customer_id")
    assert staged.loc["T1", "created_at"] == pd.Timestamp("2023-06-02 01:30:00")
    usage = built["typed"]["stg_raw__product_usage"]
    events_count = [None if pd.isna(n) else int(n) for n in usage.events_count]
    assert sorted(zip(usage.customer_id, usage.activity_date.astype(str), usage.active_users,
                      events_count)) == [
        ("T1", "2024-03-02", 3, 10), ("T1", "2024-03-03", 2, 7), ("T1", "2024-03-04", 1, None)]
    recon = built["typed"]["dq_reconciliation"].set_index("source_table")
    assert recon.loc["product_usage", "merged_duplicate_rows"] == 1
    assert recon.loc["customers", "merged_duplicate_rows"] == 1
    rejected = {form: sorted(zip(b["dq_rejected_rows"].source_key, b["dq_rejected_rows"].reason))
                for form, b in built.items()}
    assert rejected["text"] == rejected["typed"] == [
        ("T2|2024-03-05", "conflicting_duplicate_key"), ("T2|2024-03-05", "conflicting_duplicate_key"),
        ("T3|2024-03-06", "negative_active_users"), ("T4-E1", "negative_amount")]
    raw_values = dict(zip(built["typed"]["dq_rejected_rows"].reason,
                          built["typed"]["dq_rejected_rows"].raw_values))
    assert "effective_at=2024-03-01 00:00:00" in raw_values["negative_amount"]
    assert "activity_date=2024-03-06; active_users=-1" in raw_values["negative_active_users"]


# -- a table in many files: the rows of all of them -----------------------------------------

def _split_into_files(raw: Path, table: str, fmt: str) -> list[Path]:
    """Rewrites raw/<table>.csv as three files: `<table>.<fmt>`, `<table>_2024-06.<fmt>`
    beside it and `<table>/part-1.<fmt>` under it, a third of the rows each."""
    frame = pd.read_csv(raw / f"{table}.csv", dtype=str, keep_default_na=False)
    (raw / f"{table}.csv").unlink()
    (raw / table).mkdir()
    paths = [raw / f"{table}.{fmt}", raw / f"{table}_2024-06.{fmt}", raw / table / f"part-1.{fmt}"]
    third = -(-len(frame) // 3)
    for i, path in enumerate(paths):
        part = frame.iloc[i * third:(i + 1) * third]
        if fmt == "csv":
            part.to_csv(path, index=False, lineterminator="\n")
        else:
            part.to_parquet(path, index=False)
    return paths


def test_a_table_in_many_files_reads_as_one(corpus_build, tmp_path):
    """The whole corpus with its events in three CSV files and its rates in three Parquet
    files gives the marts of the one-file folder; a malformed line is named with the file
    it is in, and the oracle, reading the same files, agrees."""
    raw = write_folder(tmp_path / "raw", CASES)
    events = _split_into_files(raw, "subscription_events", "csv")
    _split_into_files(raw, "fx_rates", "parquet")
    with open(events[2], "a") as fh:
        fh.write("M1,M1,M1-S1,subscription_started\n")
    run_dbt_build(raw, tmp_path / "out.duckdb", VARS)
    built = Built(tmp_path / "out.duckdb")
    for model, key in (("stg_raw__subscription_events", ["event_id"]),
                       ("stg_raw__fx_rates", ["currency", "rate_date"]),
                       ("fct_arr_movements", ["customer_id", "movement_date", "movement_type"])):
        one, many = (b[model].drop(columns=FILE_COLUMNS, errors="ignore")
                     .sort_values(key).reset_index(drop=True) for b in (corpus_build, built))
        pd.testing.assert_frame_equal(one, many, check_dtype=False, obj=model)
    rejected = built["dq_rejected_rows"]
    malformed = rejected[rejected.reason == "malformed_csv_line"]
    line = len(pd.read_csv(events[2], dtype=str)) + 1
    assert list(malformed.source_key) == [f"subscription_events/part-1.csv line {line}"]
    one_rej, many_rej = (sorted(map(tuple, r[r.reason != "malformed_csv_line"].values.tolist()))
                         for r in (corpus_build["dq_rejected_rows"], rejected))
    assert one_rej == many_rej
    recon = built["dq_reconciliation"].set_index("source_table")
    one_recon = corpus_build["dq_reconciliation"].set_index("source_table")
    assert recon.loc["subscription_events", "raw_rows"] == \
        one_recon.loc["subscription_events", "raw_rows"] + 1
    assert (recon.raw_rows == recon.accepted_rows + recon.rejected_rows
            + recon.merged_duplicate_rows).all()
    res = oracle.run_oracle(raw, VARS)
    assert oracle.movement_problems(res.movements, built["fct_arr_movements"],
                                    "fct_arr_movements") == []


def test_a_table_in_two_formats_stops(tmp_path):
    raw = write_folder(tmp_path / "raw")
    pd.read_csv(raw / "fx_rates.csv", dtype=str).to_parquet(raw / "fx_rates_2024.parquet")
    proc = run_dbt_build(raw, tmp_path / "out.duckdb", VARS, select=SHAPE_SELECT, expect_fail=True)
    assert "fx_rates is given both as CSV" in proc.stdout + proc.stderr
    assert "Keep one format per table" in proc.stdout + proc.stderr


def test_a_file_missing_a_column_stops_naming_the_file(tmp_path):
    raw = write_folder(tmp_path / "raw")
    (raw / "subscription_events").mkdir()
    (raw / "subscription_events" / "part-9.csv").write_text("event_id,customer_id\nX,Y\n")
    proc = run_dbt_build(raw, tmp_path / "out.duckdb", VARS, select=SHAPE_SELECT, expect_fail=True)
    assert ("subscription_events/part-9.csv has no column 'subscription_id'"
            in proc.stdout + proc.stderr)
