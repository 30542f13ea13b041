"""An independent pandas/numpy re-implementation of the winback ARR rules.

The oracle reads the raw files of SPEC §1 directly (never the dbt models or seeds) and
recomputes, by a different route than the SQL, what the marts must contain:

* staging: which raw subscription events are accepted, merged or rejected (and why);
* a daily ARR ledger: for every subscription, its local-currency ARR at the end of
  every day, built by *walking* each subscription's ordered events and painting its
  state forward in time, rather than by querying event rows as the SQL does;
* movements at grain ``day`` or ``month`` from end-of-period snapshots of that ledger;
* the ARR waterfall (total and by segment) from snapshots and movements, with the FX
  impact computed directly as a revaluation sum rather than as a residual.

The policy vars (vendors' counting rules, `resolve_policy`) act in three places: some
rewrite the event history before the ledger (`apply_event_policies`), the reactivation
rule, pause churns and short-lived spells act in the classification of movements
(`movements_and_left_out`), and the left-out spells' net change goes to fx_impact.

Everything here is plain Python/pandas/numpy so that a mistake in the SQL does not have a
twin here. Amounts are floats; all comparisons with the marts are done to the cent.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------------------
# Contract constants (SPEC §1). Written out here on purpose instead of read from the
# project's seeds: the oracle must not share its vocabulary with the code it checks.
# --------------------------------------------------------------------------------------

RAW_COLUMNS: dict[str, list[str]] = {
    "subscription_events": [
        "event_id", "customer_id", "subscription_id", "event_type", "effective_at",
        "occurred_at", "plan_id", "billing_period", "amount", "currency",
        "discount_pct", "churn_reason", "churn_reason_secondary", "ingested_at",
    ],
    "customers": ["customer_id", "customer_name", "email", "segment", "country", "created_at"],
    "product_usage": ["customer_id", "activity_date", "active_users", "events_count"],
    "campaigns": [
        "campaign_id", "campaign_name", "campaign_type", "channel", "target_segment",
        "started_at", "ended_at", "cost", "currency",
    ],
    "campaign_members": [
        "campaign_id", "customer_id", "member_group", "assigned_at", "touched_at",
        "responded_at",
    ],
    "fx_rates": ["rate_date", "currency", "rate_to_reporting"],
    "acquisition_spend": ["month", "channel", "spend", "currency"],
}

ACTIVE_TYPES = {
    "subscription_started", "subscription_changed", "subscription_renewed",
    "subscription_resumed",
}
ZERO_TYPES = {"subscription_canceled", "subscription_paused"}
CANONICAL_TYPES = ACTIVE_TYPES | ZERO_TYPES

# Lower-cased, trimmed raw value -> canonical event type. Covers the aliases named in
# the SPEC and those the demo generator emits.
EVENT_TYPE_ALIASES: dict[str, str] = {t: t for t in CANONICAL_TYPES}
EVENT_TYPE_ALIASES.update({
    "started": "subscription_started",
    "created": "subscription_started",
    "subscription_created": "subscription_started",
    "subscription.created": "subscription_started",
    "customer.subscription.created": "subscription_started",
    "new_subscription": "subscription_started",
    "changed": "subscription_changed",
    "plan_changed": "subscription_changed",
    "subscription_updated": "subscription_changed",
    "subscription.updated": "subscription_changed",
    "customer.subscription.updated": "subscription_changed",
    "upgraded": "subscription_changed",
    "downgraded": "subscription_changed",
    "renewed": "subscription_renewed",
    "renewal": "subscription_renewed",
    "subscription.renewed": "subscription_renewed",
    "canceled": "subscription_canceled",
    "cancelled": "subscription_canceled",
    "subscription_cancelled": "subscription_canceled",
    "subscription.canceled": "subscription_canceled",
    "subscription.cancelled": "subscription_canceled",
    "customer.subscription.deleted": "subscription_canceled",
    "paused": "subscription_paused",
    "subscription.paused": "subscription_paused",
    "customer.subscription.paused": "subscription_paused",
    "resumed": "subscription_resumed",
    "subscription.resumed": "subscription_resumed",
    "customer.subscription.resumed": "subscription_resumed",
})

# Lower-cased billing period -> (canonical, periods per year).
BILLING_PERIODS: dict[str, tuple[str, int]] = {
    "month": ("month", 12), "monthly": ("month", 12),
    "quarter": ("quarter", 4), "quarterly": ("quarter", 4),
    "year": ("year", 1), "yearly": ("year", 1), "annual": ("year", 1),
    "annually": ("year", 1),
}

SEGMENT_ALIASES: dict[str, str] = {
    "enterprise": "enterprise",
    "mid_market": "mid_market", "mid-market": "mid_market", "mid market": "mid_market",
    "midmarket": "mid_market",
    "smb": "smb", "small business": "smb", "small_business": "smb",
}

# ISO 4217 active codes (2024). A code outside this list is a rejected row.
ISO_4217 = set("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD
FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP
MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR
RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT
TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW
ZWG
""".split())

# Instants a billing system can hold: before 1970 or from 2100 on, a timestamp is a typo
# or a placeholder (0001-01-01, 9999-12-31) and is rejected as implausible.
PLAUSIBLE_FROM = dt.datetime(1970, 1, 1)
PLAUSIBLE_UNTIL = dt.datetime(2100, 1, 1)

# Rejection reasons: `missing_<column>`, `unparseable_<column>`, `unknown_<thing>`,
# `negative_amount`, `discount_pct_out_of_range`. One reason per row, the first failing
# check in the order keys -> types -> values (DECISIONLOG "One reason per rejected row").
REQUIRED_EVENT_COLUMNS = ("event_id", "customer_id", "subscription_id", "event_type",
                          "effective_at")


class OracleError(Exception):
    """Input that the SPEC says must stop the build (e.g. no FX rate in force)."""


# --------------------------------------------------------------------------------------
# Policy vars: the counting rules that billing-analytics vendors differ on. The preset
# table is written out here, not read from the project's macros, for the same reason as
# the constants above.
# --------------------------------------------------------------------------------------

POLICY_RULES: dict[str, tuple[str, ...]] = {
    "cancellation_recognition": ("period_end", "request"),
    "pause_treatment": ("churn", "keep_arr", "churn_without_reactivation"),
    "reactivation_rule": ("within_months", "within_days", "after_full_month_at_zero", "any"),
    "short_lived_customers": ("include", "exclude"),
    "fx_valuation": ("period_end", "service_start"),
}

POLICY_PRESETS: dict[str, dict[str, str]] = {
    "winback": {"cancellation_recognition": "period_end", "pause_treatment": "churn",
                "reactivation_rule": "within_months", "short_lived_customers": "include",
                "fx_valuation": "period_end"},
    "chartmogul": {"cancellation_recognition": "period_end", "pause_treatment": "keep_arr",
                   "reactivation_rule": "any", "short_lived_customers": "include",
                   "fx_valuation": "service_start"},
    "stripe": {"cancellation_recognition": "request", "pause_treatment": "churn",
               "reactivation_rule": "any", "short_lived_customers": "include",
               "fx_valuation": "period_end"},
    "baremetrics": {"cancellation_recognition": "period_end", "pause_treatment": "churn",
                    "reactivation_rule": "any", "short_lived_customers": "include",
                    "fx_valuation": "period_end"},
    "profitwell": {"cancellation_recognition": "period_end", "pause_treatment": "churn",
                   "reactivation_rule": "any", "short_lived_customers": "exclude",
                   "fx_valuation": "service_start"},
}


def resolve_policy(vars: dict | None) -> dict:
    """The rules in force for these dbt vars: each rule var that is missing or null takes
    the value of `policy_preset` (default winback); an explicit value wins. Also carries
    the two windows (months: default 24, null = no limit; days: default 90).

    Raises ValueError for an unknown preset or rule value, as the build's var check
    refuses them."""
    vars = vars or {}
    preset = vars.get("policy_preset", "winback")
    if preset not in POLICY_PRESETS:
        raise ValueError(f"policy_preset must be one of {', '.join(POLICY_PRESETS)}, "
                         f"got {preset!r}")
    out: dict = {"policy_preset": preset}
    for rule, allowed in POLICY_RULES.items():
        value = vars.get(rule)
        if value is None:
            value = POLICY_PRESETS[preset][rule]
        elif value not in allowed:
            raise ValueError(f"{rule} must be one of {', '.join(allowed)} (or null), "
                             f"got {value!r}")
        out[rule] = value
    months = vars.get("reactivation_window_months", 24)
    out["reactivation_window_months"] = None if months is None else int(months)
    days = vars.get("reactivation_window_days", 90)
    # the build refuses a null or negative day window (there is no "no limit" here)
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"reactivation_window_days must be a whole number >= 0, got {days!r}")
    out["reactivation_window_days"] = days
    return out


# --------------------------------------------------------------------------------------
# Parsing helpers
# --------------------------------------------------------------------------------------

_TS_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"                      # date
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?"  # optional time
    r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$"              # optional offset
)


def parse_ts(text: str | None):
    """ISO 8601 text -> naive UTC datetime; None for empty; raises ValueError if bad.

    Done with a regex and integer arithmetic (not pandas/DuckDB casting) so it is an
    independent reading of SPEC §1: offset -> converted to UTC, no offset -> UTC,
    bare date -> midnight.
    """
    if text is None:
        return None
    s = str(text).strip()
    if s == "":
        return None
    m = _TS_RE.match(s)
    if not m:
        raise ValueError(f"unparseable timestamp {text!r}")
    y, mo, d, hh, mi, ss, frac, off = m.groups()
    if off is not None and hh is None:
        raise ValueError(f"offset on a bare date {text!r}")
    micro = int(round(float(frac) * 1_000_000)) if frac else 0
    if micro >= 1_000_000:
        micro = 999_999
    # ISO 8601's 24:00 is the end of the day: the next day's midnight
    end_of_day = hh == "24" and int(mi) == 0 and int(ss or 0) == 0 and micro == 0
    out = dt.datetime(int(y), int(mo), int(d), 0 if end_of_day else int(hh or 0),
                      int(mi or 0), int(ss or 0), micro)  # raises on 2024-13-45 and the like
    if end_of_day:
        out += dt.timedelta(days=1)
    if off and off not in ("Z", "z"):
        sign = 1 if off[0] == "+" else -1
        digits = off[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0)
        out = out - sign * dt.timedelta(minutes=minutes)
    return out


def parse_number(text: str | None):
    """Decimal text -> float; None for empty; raises ValueError when not a number."""
    if text is None:
        return None
    s = str(text).strip()
    if s == "":
        return None
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", s):
        raise ValueError(f"not a number {text!r}")
    v = float(s)
    if not math.isfinite(v):
        raise ValueError(f"not a finite number {text!r}")
    return v


def _clean(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    s = str(v).strip()
    return s if s != "" else None


def _read_raw_file(path: Path) -> pd.DataFrame:
    """One raw file as text (every value a str, '' for empty), CSV or Parquet."""
    if path.suffix == ".csv":
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    else:
        df = pd.read_parquet(path)
        for c in df.columns:
            col = df[c]
            if pd.api.types.is_datetime64_any_dtype(col):
                if getattr(col.dt, "tz", None) is not None:
                    col = col.dt.tz_convert("UTC").dt.tz_localize(None)
                df[c] = col.dt.strftime("%Y-%m-%dT%H:%M:%S.%f").where(col.notna(), "")
            else:
                df[c] = col.map(lambda v: "" if v is None or (isinstance(v, float)
                                                              and math.isnan(v)) else str(v))
    df.columns = [c.strip().lower() for c in df.columns]
    return df


def read_raw_table(raw_dir: Path, table: str) -> pd.DataFrame:
    """One raw table as text: the rows of `<table>.csv` (or `.parquet`) and of every
    `<table>_*` file beside it and `<table>/*` file under it."""
    raw_dir = Path(raw_dir)
    files = sorted({p for ext in ("csv", "parquet")
                    for pattern in (f"{table}.{ext}", f"{table}_*.{ext}", f"{table}/*.{ext}")
                    for p in raw_dir.glob(pattern) if p.is_file()})
    if not files:
        raise FileNotFoundError(f"{table}.csv/.parquet not found in {raw_dir}")
    df = pd.concat([_read_raw_file(p) for p in files], ignore_index=True).fillna("")
    for c in RAW_COLUMNS.get(table, []):
        if c not in df.columns:
            df[c] = ""
    return df


def write_raw_dir(raw_dir: Path, **tables: list[dict]) -> Path:
    """Write the seven raw CSVs of SPEC §1 into raw_dir; tables not given are header-only.

    Used by hand-made oracle examples and the hypothesis properties.
    """
    raw_dir = Path(raw_dir)
    raw_dir.mkdir(parents=True, exist_ok=True)
    for table, cols in RAW_COLUMNS.items():
        rows = tables.get(table, [])
        with open(raw_dir / f"{table}.csv", "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=cols, extrasaction="raise")
            w.writeheader()
            for r in rows:
                w.writerow({c: ("" if r.get(c) is None else r.get(c)) for c in cols})
    return raw_dir


# --------------------------------------------------------------------------------------
# Staging: subscription events
# --------------------------------------------------------------------------------------

@dataclass
class StagedEvents:
    accepted: pd.DataFrame          # one row per accepted event, typed
    rejected: pd.DataFrame          # source_key, reason
    raw_rows: int
    merged_duplicate_rows: int

    @property
    def reconciliation(self) -> dict:
        return {
            "raw_rows": self.raw_rows,
            "accepted_rows": len(self.accepted),
            "rejected_rows": len(self.rejected),
            "merged_duplicate_rows": self.merged_duplicate_rows,
        }


def _try_number(text):
    """(value, parsed_ok): empty text is (None, True)."""
    try:
        return parse_number(text), True
    except ValueError:
        return None, False


def _ts_or_none(text):
    try:
        return parse_ts(text)
    except ValueError:
        return None


def _merge_duplicate_event_ids(raw: pd.DataFrame) -> tuple[list[dict], int]:
    """Collapse copies of one event_id (SPEC §1): identical copies count once; copies
    that differ keep the one with the latest ingested_at. Rows without an event_id are
    never merged (each is rejected on its own)."""
    cols = RAW_COLUMNS["subscription_events"]
    survivors: list[dict] = []
    merged = 0
    groups: dict[str, list[tuple[int, dict]]] = {}
    for i, rec in enumerate(raw[cols].to_dict("records")):
        key = _clean(rec["event_id"])
        if key is None:
            survivors.append(rec)
            continue
        groups.setdefault(key, []).append((i, rec))
    for key, copies in groups.items():
        merged += len(copies) - 1
        if len(copies) == 1:
            survivors.append(copies[0][1])
            continue

        # latest ingested_at wins (unparseable/empty ingested_at sorts first); the
        # DECISIONLOG breaks an exact tie by the greatest raw row.
        def rank(item):
            _, rec = item
            ts = _ts_or_none(rec["ingested_at"])
            return (ts is not None, ts or dt.datetime.min,
                    tuple(str(rec[c]) for c in cols))

        survivors.append(max(copies, key=rank)[1])
    return survivors, merged


def stage_events(raw: pd.DataFrame) -> StagedEvents:
    """Validate and type the raw subscription_events (SPEC §1–2 'Bad input')."""
    survivors, merged = _merge_duplicate_event_ids(raw)
    accepted, rejected = [], []
    for rec in survivors:
        r = {k: _clean(v) for k, v in rec.items()}
        key = r["event_id"] or ""

        def reject(reason):
            rejected.append({"source_key": key, "reason": reason})

        # keys and required columns
        missing = [c for c in REQUIRED_EVENT_COLUMNS if r[c] is None]
        if missing:
            reject(f"missing_{missing[0]}")
            continue
        # types
        etype = EVENT_TYPE_ALIASES.get(r["event_type"].lower())
        if etype is None:
            reject("unknown_event_type")
            continue
        stamps = {}
        for col in ("effective_at", "occurred_at", "ingested_at"):
            try:
                stamps[col] = parse_ts(r[col])
            except ValueError:
                reject(f"unparseable_{col}")
                break
        if len(stamps) < 3:
            continue
        # an instant outside [1970, 2100) is a typo or a placeholder, never a billing fact
        implausible = [c for c in ("effective_at", "occurred_at", "ingested_at")
                       if stamps[c] is not None and not PLAUSIBLE_FROM <= stamps[c] < PLAUSIBLE_UNTIL]
        if implausible:
            reject(f"implausible_{implausible[0]}")
            continue
        eff, occ, ing = stamps["effective_at"], stamps["occurred_at"], stamps["ingested_at"]
        # values: only an event that sets a charge needs amount, currency and period
        active = etype in ACTIVE_TYPES
        amount = currency = bp = None
        ppy = 0
        if active:
            amount, amount_ok = _try_number(r["amount"])
            discount, discount_ok = _try_number(r["discount_pct"])
            currency = (r["currency"] or "").upper() or None
            bpp = BILLING_PERIODS.get((r["billing_period"] or "").lower())
            # (reason, failed?) in the order required -> types -> values; first wins
            # the documented order (DECISIONLOG.md, "Raw input"): period, amount,
            # currency, discount, each from missing to unparseable to invalid
            checks = [
                ("missing_billing_period", r["billing_period"] is None),
                ("unknown_billing_period", bpp is None),
                ("missing_amount", r["amount"] is None),
                ("unparseable_amount", not amount_ok),
                ("negative_amount", amount_ok and amount is not None and amount < 0),
                ("missing_currency", currency is None),
                ("unknown_currency", currency not in ISO_4217),
                ("unparseable_discount_pct", not discount_ok),
                ("discount_pct_out_of_range",
                 discount_ok and discount is not None and not 0 <= discount <= 100),
            ]
            reason = next((why for why, failed in checks if failed), None)
            if reason:
                reject(reason)
                continue
            bp, ppy = bpp
        accepted.append({
            "event_id": r["event_id"],
            "customer_id": r["customer_id"],
            "subscription_id": r["subscription_id"],
            "event_type": etype,
            "effective_at": eff,
            "effective_date": eff.date(),
            "occurred_at": occ,
            "ingested_at": ing,
            "billing_period": bp,
            "amount": amount,
            "currency": currency,
            # local-currency ARR this event sets its subscription to
            "local_arr": (amount * ppy) if active else 0.0,
            "churn_reason": r["churn_reason"],
        })
    # dtype=object keeps Python datetimes and None (not NaT/NaN) for the ledger walk
    acc = pd.DataFrame(accepted, dtype=object, columns=[
        "event_id", "customer_id", "subscription_id", "event_type", "effective_at",
        "effective_date", "occurred_at", "ingested_at", "billing_period", "amount",
        "currency", "local_arr", "churn_reason"])
    acc["amount"] = acc["amount"].astype(float)
    acc["local_arr"] = acc["local_arr"].astype(float)
    rej = pd.DataFrame(rejected, columns=["source_key", "reason"])
    return StagedEvents(acc, rej, raw_rows=len(raw), merged_duplicate_rows=merged)


def default_as_of(accepted: pd.DataFrame) -> dt.date:
    """Latest occurred_at (effective_at where occurred_at is empty), as a date."""
    best = None
    for occ, eff in zip(accepted["occurred_at"], accepted["effective_at"]):
        t = occ if (occ is not None and not pd.isna(occ)) else eff
        if best is None or t > best:
            best = t
    if best is None:
        raise OracleError("no accepted events")
    return best.date()


# --------------------------------------------------------------------------------------
# Staging: customers and FX rates
# --------------------------------------------------------------------------------------

def customer_segments(raw: pd.DataFrame) -> dict[str, str]:
    """customer_id -> normalised segment. Exact duplicate rows count once; customer_ids
    with differing rows are left out (rejected, so 'unknown'); so is an unknown segment."""
    cols = RAW_COLUMNS["customers"]
    by_id: dict[str, set] = {}
    for rec in raw[cols].to_dict("records"):
        cid = _clean(rec["customer_id"])
        if cid is None:
            continue
        by_id.setdefault(cid, set()).add(tuple(_clean(rec[c]) for c in cols))
    out = {}
    for cid, variants in by_id.items():
        if len(variants) != 1:
            continue
        seg = next(iter(variants))[cols.index("segment")]
        out[cid] = SEGMENT_ALIASES.get((seg or "").lower(), "unknown")
    return out


def fx_table(raw: pd.DataFrame, reporting_currency: str) -> dict[str, list[tuple[dt.date, float]]]:
    """currency -> sorted [(rate_date, rate)]. Unparseable or non-positive rows and
    (rate_date, currency) keys with conflicting rates are dropped; rows for the reporting
    currency are ignored (its rate is 1)."""
    seen: dict[tuple, set] = {}
    for rec in raw.to_dict("records"):
        try:
            d = parse_ts(rec.get("rate_date"))
            rate = parse_number(rec.get("rate_to_reporting"))
        except ValueError:
            continue
        cur = (_clean(rec.get("currency")) or "").upper()
        if d is None or rate is None or rate <= 0 or cur not in ISO_4217:
            continue
        if cur == reporting_currency.upper():
            continue
        seen.setdefault((cur, d.date()), set()).add(rate)
    out: dict[str, list] = {}
    for (cur, d), rates in seen.items():
        if len(rates) == 1:
            out.setdefault(cur, []).append((d, next(iter(rates))))
    for cur in out:
        out[cur].sort()
    return out


def rate_on(fx: dict, currency: str, day: dt.date, reporting_currency: str) -> float | None:
    """The rate in force on day: the latest rate_date on or before it (reporting: 1)."""
    if currency == reporting_currency.upper():
        return 1.0
    rate = None
    for rd, r in fx.get(currency, []):
        if rd > day:
            break
        rate = r
    return rate


# --------------------------------------------------------------------------------------
# Policy rules that rewrite the event history before the ledger is built
# --------------------------------------------------------------------------------------

def apply_event_policies(accepted: pd.DataFrame, policy: dict, fx: dict,
                         reporting_currency: str, as_of: dt.date) -> pd.DataFrame:
    """The accepted events as the ledger must see them under the policy:

    * cancellation_recognition=request: a cancellation takes effect at
      least(effective_at, occurred_at), so the request day dates the churn and a request
      made by as_of is history even when the service runs on past it;
    * pause_treatment=keep_arr: pauses are dropped, the subscription keeps its ARR;
    * fx_valuation=service_start: each event's ARR is converted at the rate in force on
      its (recognised) effective date and held in the reporting currency until the
      subscription's next event, so rate moves between events never revalue it (the
      revaluation made at an event: service_start_revaluations).

    The staged frame itself is left as written (staging is compared on its own).
    """
    ev = accepted.copy()
    if policy["cancellation_recognition"] == "request":
        recognised = []
        for etype, eff, occ in zip(ev["event_type"], ev["effective_at"], ev["occurred_at"]):
            has_occ = occ is not None and not pd.isna(occ)
            recognised.append(min(eff, occ) if etype == "subscription_canceled" and has_occ
                              else eff)
        ev["effective_at"] = pd.Series(recognised, index=ev.index, dtype=object)
        ev["effective_date"] = pd.Series([t.date() for t in recognised], index=ev.index,
                                         dtype=object)
    if policy["pause_treatment"] == "keep_arr":
        ev = ev[ev["event_type"] != "subscription_paused"]
    if policy["fx_valuation"] == "service_start":
        reporting = reporting_currency.upper()
        arrs, curs = [], []
        for arr, cur, day, etype in zip(ev["local_arr"], ev["currency"], ev["effective_date"],
                                        ev["event_type"]):
            if etype not in ACTIVE_TYPES or cur == reporting:
                arrs.append(arr)
                curs.append(cur)
                continue
            rate = rate_on(fx, cur, day, reporting) if arr > 0 else 1.0
            if rate is None:
                if day <= as_of:
                    raise OracleError(f"no FX rate in force for {cur} on {day}")
                # a scheduled event past as_of never reaches the ledger
                arrs.append(arr)
                curs.append(cur)
                continue
            arrs.append(arr * rate)
            curs.append(reporting)
        ev["local_arr"] = pd.Series(arrs, index=ev.index, dtype=float)
        ev["currency"] = pd.Series(curs, index=ev.index, dtype=object)
    return ev.reset_index(drop=True)


def service_start_revaluations(events: pd.DataFrame, fx: dict, reporting_currency: str,
                                ledger: "Ledger", grain: str) -> np.ndarray:
    """fx_valuation=service_start: the revaluation made at each movement period's events,
    [customer, period of valuation_points].

    `events` are in their own currencies (before conversion). For each subscription,
    the state at the end of a period with events is its last event there; when that
    state and the previous one both pay, the previous ARR is revalued from the rate of
    its own day to the rate of the new state's day (in the previous state's currency).
    That revaluation is FX, not a movement: it is added to the ARR before the period's
    change, and to fx_impact. A state with ARR 0 takes away the ARR as it was held.
    """
    pts = valuation_points(ledger, grain)
    period_of = {md: j for j, (md, _, _) in enumerate(pts)}
    kpos = {c: i for i, c in enumerate(ledger.customers)}
    out = np.zeros((len(ledger.customers), len(pts)))
    hist = events[events["effective_date"] <= ledger.as_of]
    for (cust, _sub), grp in hist.groupby(["customer_id", "subscription_id"], sort=False):
        states: dict[int, dict] = {}
        for ev in sorted(grp.to_dict("records"), key=event_sort_key):
            day = ev["effective_date"]
            states[period_of[day if grain == "day" else month_start(day)]] = ev
        previous = None
        for j in sorted(states):
            state = states[j]
            if (previous is not None and previous["local_arr"] > 0
                    and state["local_arr"] > 0):
                cur = previous["currency"]
                then = rate_on(fx, cur, previous["effective_date"], reporting_currency)
                now = rate_on(fx, cur, state["effective_date"], reporting_currency)
                out[kpos[cust], j] += previous["local_arr"] * (now - then)
            previous = state
    return out


# --------------------------------------------------------------------------------------
# The daily ARR ledger
# --------------------------------------------------------------------------------------

def event_sort_key(ev: dict):
    """SPEC §1: effective_at, then occurred_at, then ingested_at (nulls first), then
    event_id; the last event in this order is the subscription's state."""
    def nf(x):
        return (0, dt.datetime.min) if x is None or pd.isna(x) else (1, x)
    return (ev["effective_at"], nf(ev["occurred_at"]), nf(ev["ingested_at"]), ev["event_id"])


@dataclass
class Ledger:
    """local[k, c, d]: customer k's ARR in currency c at the end of day d (local units).
    rate[c, d]: rate to the reporting currency in force on day d (NaN if none)."""
    start: dt.date
    as_of: dt.date
    customers: list[str]
    currencies: list[str]
    local: np.ndarray
    rate: np.ndarray
    segments: dict[str, str]

    @property
    def n_days(self) -> int:
        return self.local.shape[2]

    def idx(self, day: dt.date) -> int:
        return (day - self.start).days

    def day(self, i: int) -> dt.date:
        return self.start + dt.timedelta(days=int(i))

    def local_at(self, i: int) -> np.ndarray:
        """[k, c] local ARR at the end of day index i (zero before the ledger starts)."""
        if i < 0:
            return np.zeros(self.local.shape[:2])
        return self.local[:, :, i]

    def value(self, holdings_day: int, rate_day: int) -> np.ndarray:
        """Per-customer ARR held at the end of holdings_day, valued at rate_day's rates."""
        held = self.local_at(holdings_day)
        r = self.rate[:, rate_day] if rate_day >= 0 else np.full(len(self.currencies), np.nan)
        missing = (held != 0) & np.isnan(r)[None, :]
        if missing.any():
            k, c = np.argwhere(missing)[0]
            raise OracleError(
                f"no FX rate in force for {self.currencies[c]} on {self.day(rate_day)} "
                f"(customer {self.customers[k]})")
        return np.where(held != 0, held * np.nan_to_num(r), 0.0).sum(axis=1)


def build_ledger(accepted: pd.DataFrame, fx: dict, as_of: dt.date, reporting_currency: str,
                 segments: dict[str, str]) -> Ledger:
    hist = accepted[accepted["effective_date"] <= as_of]
    if hist.empty:
        raise OracleError("no history before as_of_date")
    start = min(hist["effective_date"])
    n_days = (as_of - start).days + 1
    customers = sorted(accepted["customer_id"].unique())
    kpos = {c: i for i, c in enumerate(customers)}
    currencies = sorted({reporting_currency.upper()}
                        | {c for c in hist["currency"] if isinstance(c, str)})
    cpos = {c: i for i, c in enumerate(currencies)}
    local = np.zeros((len(customers), len(currencies), n_days))

    # Walk each subscription's events in order; each event repaints the subscription's
    # state from its effective date to the end of the ledger, so the state left on day
    # d is the last event (in SPEC order) that took effect on or before d.
    for (_cust, _sub), grp in hist.groupby(["customer_id", "subscription_id"], sort=False):
        events = sorted(grp.to_dict("records"), key=event_sort_key)
        sub = np.zeros((len(currencies), n_days))
        for ev in events:
            d0 = (ev["effective_date"] - start).days
            sub[:, d0:] = 0.0
            if ev["local_arr"] > 0:
                sub[cpos[ev["currency"]], d0:] = ev["local_arr"]
        local[kpos[_cust]] += sub

    # Rate in force on a day: latest rate_date on or before it (reporting currency: 1).
    rate = np.full((len(currencies), n_days), np.nan)
    for c, cur in enumerate(currencies):
        if cur == reporting_currency.upper():
            rate[c, :] = 1.0
            continue
        for rd, r in fx.get(cur, []):
            i = max((rd - start).days, 0)
            if i < n_days:
                rate[c, i:] = r   # later rate_dates overwrite: list is sorted by date
    seg = {k: segments.get(k, "unknown") for k in customers}
    return Ledger(start, as_of, customers, currencies, local, rate, seg)


# --------------------------------------------------------------------------------------
# Movements
# --------------------------------------------------------------------------------------

def month_start(d: dt.date) -> dt.date:
    return d.replace(day=1)


def month_end(d: dt.date) -> dt.date:
    nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def add_months(d: dt.date, n: int) -> dt.date:
    """Calendar months with month-end clamping (31 Jan + 1 month = 28/29 Feb)."""
    return (pd.Timestamp(d) + pd.DateOffset(months=n)).date()


def valuation_points(ledger: Ledger, grain: str) -> list[tuple[dt.date, int, int]]:
    """(movement_date, index of this period's snapshot day, index of previous snapshot).

    day: every day of the ledger. month: each month's last day, the month holding
    as_of ending at as_of; movement_date is the month's first day.
    """
    if grain == "day":
        return [(ledger.day(i), i, i - 1) for i in range(ledger.n_days)]
    if grain != "month":
        raise ValueError(grain)
    pts = []
    m = month_start(ledger.start)
    prev = ledger.idx(m) - 1
    while m <= ledger.as_of:
        end = min(month_end(m), ledger.as_of)
        pts.append((m, ledger.idx(end), prev))
        prev = ledger.idx(end)
        m = month_end(m) + dt.timedelta(days=1)
    return pts


def ending_events(events: pd.DataFrame, as_of: dt.date) -> dict[str, list[dict]]:
    """customer -> the cancellations and pauses in history that ended some ARR: those on
    a subscription whose state just before them (previous event, event order) had
    ARR > 0. These are the candidates for a churn's ending event."""
    hist = events[events["effective_date"] <= as_of]
    enders: dict[str, list[dict]] = {}
    for (cust, _sub), grp in hist.groupby(["customer_id", "subscription_id"], sort=False):
        prev_arr = None
        for ev in sorted(grp.to_dict("records"), key=event_sort_key):
            if ev["event_type"] in ZERO_TYPES and prev_arr is not None and prev_arr > 0:
                enders.setdefault(cust, []).append(ev)
            prev_arr = ev["local_arr"]
    return enders


def churn_ending_event(enders: dict[str, list[dict]], customer: str, first_day: dt.date,
                       last_day: dt.date) -> dict | None:
    """The ending event of a churn whose movement period is [first_day, last_day]: the
    latest (event order) of the customer's ending events dated in the period."""
    cands = [e for e in enders.get(customer, []) if first_day <= e["effective_date"] <= last_day]
    return max(cands, key=event_sort_key) if cands else None


def churn_period_last_day(movement_date: dt.date, grain: str, as_of: dt.date) -> dt.date:
    return movement_date if grain == "day" else min(month_end(movement_date), as_of)


def pause_churns(movements: pd.DataFrame, enders: dict[str, list[dict]], grain: str,
                 as_of: dt.date) -> set[tuple[str, dt.date]]:
    """(customer_id, movement_date) of the churns whose ending event is a pause."""
    out = set()
    for m in movements[movements["movement_type"] == "churn"].itertuples():
        e = churn_ending_event(enders, m.customer_id, m.movement_date,
                               churn_period_last_day(m.movement_date, grain, as_of))
        if e is not None and e["event_type"] == "subscription_paused":
            out.add((m.customer_id, m.movement_date))
    return out


def reactivation_allowed(churn_date: dt.date | None, on_date: dt.date, rule: str, *,
                         churn_grain: str = "day", window_months: int | None = 24,
                         window_days: int = 90) -> bool:
    """The reactivation rule: does a return on on_date after the last churn dated
    churn_date count as a reactivation (else it is a returning `new`)? churn_grain is
    what churn_date is dated by: a churn day, or (month) the churn month's first day.

    Without a churn date (cannot happen on a real history) only the rules with no limit
    hold, as the original window rule did."""
    if rule == "any" or (rule == "within_months" and window_months is None):
        return True
    if churn_date is None:
        return False
    if rule == "within_months":
        return on_date <= add_months(churn_date, window_months)
    if rule == "within_days":
        return on_date <= churn_date + dt.timedelta(days=window_days)
    if rule == "after_full_month_at_zero":
        # A day-dated churn leaves ARR 0 from that day on, so the first month that can be
        # wholly at zero is the month after the one holding the day before the churn; a
        # month-dated churn's ARR is gone by the end of that month.
        if churn_grain == "month":
            return on_date >= add_months(churn_date, 2)
        return on_date >= add_months(month_start(churn_date - dt.timedelta(days=1)), 2)
    raise ValueError(f"unknown reactivation_rule {rule!r}")


def short_lived_spells(changes: list[tuple[dt.date, float, float]]) -> set[int]:
    """Indexes (into one customer's period changes, in date order, as (movement_date,
    before, after)) of the movements of spells that rise from 0 and fall back to 0 in
    the same calendar month. A spell still open at the end is kept."""
    out: set[int] = set()
    spell: list[int] | None = None
    for i, (_mdate, before, after) in enumerate(changes):
        if spell is None and before == 0 and after > 0:
            spell = [i]
        elif spell is not None:
            spell.append(i)
        if spell is not None and after == 0:
            if month_start(changes[spell[0]][0]) == month_start(changes[spell[-1]][0]):
                out.update(spell)
            spell = None
    return out


MOVEMENT_COLUMNS = [
    "customer_id", "movement_date", "change_date", "movement_type", "arr_before",
    "arr_after", "arr_change", "segment", "is_returning_customer", "days_since_churn"]


def movements_and_left_out(ledger: Ledger, grain: str = "day",
                           window_months: int | None = 24, *,
                           reactivation_rule: str = "within_months", window_days: int = 90,
                           short_lived: str = "include", pause_treatment: str = "churn",
                           enders: dict[str, list[dict]] | None = None,
                           revaluation: np.ndarray | None = None
                           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The movements (SPEC §2) and the short-lived-spell movements left out of them.

    short_lived="exclude": the spells of short_lived_spells are dropped before
    classification (they neither make a customer "paid before" nor set the last churn);
    the dropped rows come back as the second frame (customer_id, movement_date,
    arr_change, segment) because their net change belongs in fx_impact.
    pause_treatment="churn_without_reactivation" needs `enders` (ending_events): a
    return whose last churn ended on a pause is a returning `new`.
    revaluation (service_start_revaluations) is added to the ARR before each change.
    """
    if pause_treatment == "churn_without_reactivation" and enders is None:
        raise ValueError("pause_treatment churn_without_reactivation needs the ending events")
    pts = valuation_points(ledger, grain)
    # prev and curr valued at the rates of *this* period's snapshot day, so exchange
    # rates alone never make a movement.
    prev = np.stack([ledger.value(p, t) for _, t, p in pts], axis=1)   # [k, period]
    curr = np.stack([ledger.value(t, t) for _, t, p in pts], axis=1)
    if revaluation is not None:
        # service_start: the ARR before a period's events, revalued at their rates
        prev = prev + revaluation
    changed = np.round(prev, 2) != np.round(curr, 2)
    rows, left_out = [], []

    def change_date(k: int, j: int, mtype: str) -> dt.date:
        """The day the movement took effect: at month grain the first day of the
        period with ARR (new, reactivation) or the day after its last day with ARR
        (churn), read from the customer's day-by-day holdings."""
        mdate, t, p = pts[j]
        if grain == "day" or mtype not in ("new", "reactivation", "churn"):
            return mdate
        first = max(p + 1, 0)   # the period's first day in the ledger (p: the day before)
        held = ledger.local[k].sum(axis=0)[first:t + 1] > 0
        if mtype == "churn":
            positive = np.nonzero(held)[0]
            return ledger.day(first + int(positive[-1]) + 1) if len(positive) else mdate
        return ledger.day(first + int(np.argmax(held)))

    for k, cust in enumerate(ledger.customers):
        js = [int(j) for j in np.nonzero(changed[k])[0]]
        changes = [(pts[j][0], float(prev[k, j]), float(curr[k, j])) for j in js]
        dropped = short_lived_spells(changes) if short_lived == "exclude" else set()
        paid_before = False
        last_churn: dt.date | None = None
        last_churn_by_pause = False
        for i, j in enumerate(js):
            mdate, before, after = changes[i]
            if i in dropped:
                left_out.append({"customer_id": cust, "movement_date": mdate,
                                 "arr_change": after - before,
                                 "segment": ledger.segments[cust]})
                continue
            returning = False
            days_since_churn = None
            if before == 0 and after > 0:
                if not paid_before:
                    mtype = "new"
                elif last_churn_by_pause:
                    # a pause can only be resumed: its end is never a win-back
                    mtype = "new"
                    returning = True
                elif reactivation_allowed(last_churn, mdate, reactivation_rule,
                                          churn_grain=grain, window_months=window_months,
                                          window_days=window_days):
                    mtype = "reactivation"
                    days_since_churn = (mdate - last_churn).days if last_churn else None
                else:
                    mtype = "new"
                    returning = True
            elif before > 0 and after == 0:
                mtype = "churn"
                last_churn = mdate
                if pause_treatment == "churn_without_reactivation":
                    ender = churn_ending_event(enders, cust, mdate, ledger.day(pts[j][1]))
                    last_churn_by_pause = (ender is not None
                                           and ender["event_type"] == "subscription_paused")
            elif after > before:
                mtype = "expansion"
            else:
                mtype = "contraction"
            if after > 0:
                paid_before = True
            rows.append({
                "customer_id": cust,
                "movement_date": mdate,
                "change_date": change_date(k, j, mtype),
                "movement_type": mtype,
                "arr_before": before,
                "arr_after": after,
                "arr_change": after - before,
                "segment": ledger.segments[cust],
                "is_returning_customer": returning,
                "days_since_churn": days_since_churn,
            })
    return (pd.DataFrame(rows, columns=MOVEMENT_COLUMNS),
            pd.DataFrame(left_out, columns=["customer_id", "movement_date", "arr_change",
                                            "segment"]))


def compute_movements(ledger: Ledger, grain: str = "day", window_months: int | None = 24,
                      *, reactivation_rule: str = "within_months", window_days: int = 90,
                      short_lived: str = "include", pause_treatment: str = "churn",
                      enders: dict[str, list[dict]] | None = None) -> pd.DataFrame:
    """One row per customer per period whose end-of-period ARR changed (SPEC §2); the
    keyword arguments are the policy rules (see movements_and_left_out)."""
    return movements_and_left_out(
        ledger, grain, window_months, reactivation_rule=reactivation_rule,
        window_days=window_days, short_lived=short_lived, pause_treatment=pause_treatment,
        enders=enders)[0]


# --------------------------------------------------------------------------------------
# Waterfall
# --------------------------------------------------------------------------------------

def _period_start(d: dt.date, grain: str) -> dt.date:
    if grain == "month":
        return d.replace(day=1)
    if grain == "quarter":
        return dt.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    return dt.date(d.year, 1, 1)


def _next_period(d: dt.date, grain: str) -> dt.date:
    months = {"month": 1, "quarter": 3, "year": 12}[grain]
    return add_months(d, months)


# net_new_arr is new + expansion + reactivation - contraction - churned: exchange-rate
# effects are reported apart in fx_impact (DECISIONLOG.md, "Exchange rates and the
# waterfall"). Without foreign currencies it equals ending - starting, article 2's
# "Net ARR Change".
NET_NEW_ARR_INCLUDES_FX = False


def _ratio(num: float, den: float):
    return None if den == 0 else num / den


def compute_waterfall(ledger: Ledger, movements: pd.DataFrame, grain: str = "day",
                      customer_mask: np.ndarray | None = None, *,
                      left_out: pd.DataFrame | None = None,
                      revaluation: np.ndarray | None = None) -> pd.DataFrame:
    """Month, quarter and year rows of the ARR bridge (SPEC §2 'Waterfall').

    * starting_arr: ARR at the end of the day before period_start at that day's rates;
      ending_arr: ARR at the end of min(period's last day, as_of) at that day's rates.
    * flows: sums of movement amounts dated in the period; contraction and churn as
      positive magnitudes.
    * fx_impact: computed directly (not as a residual) as the revaluation, at each
      valuation point t of the movement grain inside the period, of the local ARR held
      at the previous point: sum_c L_c(t_prev) * (rate_c(t) - rate_c(t_prev)).
    * net_new_arr: see NET_NEW_ARR_INCLUDES_FX.
    * left_out: movements of short-lived spells left out of `movements`
      (short_lived_customers=exclude). Starting and ending ARR still hold them, so their
      net change (non-zero only when a rate moved during the spell) is added to
      fx_impact to keep the bridge closed.
    """
    if customer_mask is None:
        customer_mask = np.ones(len(ledger.customers), dtype=bool)
    seg_customers = {c for c, m in zip(ledger.customers, customer_mask) if m}
    mv = movements[movements["customer_id"].isin(seg_customers)]
    lo = (left_out[left_out["customer_id"].isin(seg_customers)]
          if left_out is not None and len(left_out) else None)

    # Total local ARR per currency at every end of day, for this set of customers.
    held = ledger.local[customer_mask].sum(axis=0)          # [c, d]
    any_arr = (ledger.local.sum(axis=1) > 0).any(axis=0)     # over *all* customers
    if not any_arr.any():
        return pd.DataFrame()
    first_month = month_start(ledger.day(int(np.argmax(any_arr))))

    def total_value(i: int) -> tuple[float, int]:
        vals = ledger.value(i, i)[customer_mask] if i >= 0 else np.zeros(customer_mask.sum())
        return float(vals.sum()), int((vals > 0).sum())

    def held_at(i: int) -> np.ndarray:
        return held[:, i] if i >= 0 else np.zeros(len(ledger.currencies))

    def rate_at(i: int) -> np.ndarray:
        return np.nan_to_num(ledger.rate[:, i]) if i >= 0 else np.zeros(len(ledger.currencies))

    def fx_between(p: int, t: int) -> float:
        lp = held_at(p)
        return float(np.where(lp != 0, lp * (rate_at(t) - rate_at(p)), 0.0).sum())

    # FX revaluation at every valuation point of the movement grain, dated by the
    # point's movement_date so that a period's fx_impact is a plain sum.
    pts = valuation_points(ledger, grain)
    fx_dates = np.array([md for md, _, _ in pts])
    fx_amounts = np.array([fx_between(p, t) for _, t, p in pts])
    if revaluation is not None:
        # service_start: the revaluations made at events (service_start_revaluations)
        fx_amounts = fx_amounts + revaluation[customer_mask].sum(axis=0)

    rows = []
    for pgrain in ("month", "quarter", "year"):
        ps = _period_start(first_month, pgrain)
        while ps <= ledger.as_of:
            nxt = _next_period(ps, pgrain)
            pe = min(nxt - dt.timedelta(days=1), ledger.as_of)
            i_s, i_e = ledger.idx(ps) - 1, ledger.idx(pe)
            starting, start_n = total_value(i_s)
            ending, end_n = total_value(i_e)
            in_p = mv[(mv["movement_date"] >= ps) & (mv["movement_date"] <= pe)]

            def s(t):
                return float(in_p.loc[in_p["movement_type"] == t, "arr_change"].sum())

            def n(t):
                return int((in_p["movement_type"] == t).sum())

            new, exp_, react = s("new"), s("expansion"), s("reactivation")
            contr, churn = -s("contraction"), -s("churn")
            fx = float(fx_amounts[(fx_dates >= ps) & (fx_dates <= pe)].sum())
            if lo is not None:
                fx += float(lo.loc[(lo["movement_date"] >= ps) & (lo["movement_date"] <= pe),
                                   "arr_change"].sum())
            rows.append({
                "period_grain": pgrain,
                "period_start": ps,
                "period_end": pe,
                "starting_arr": starting,
                "new_arr": new,
                "expansion_arr": exp_,
                "reactivation_arr": react,
                "contraction_arr": contr,
                "churned_arr": churn,
                "fx_impact": fx,
                "ending_arr": ending,
                "net_new_arr": (ending - starting) if NET_NEW_ARR_INCLUDES_FX
                else (new + exp_ + react - contr - churn),
                "nrr": _ratio(starting + exp_ + react - contr - churn, starting),
                "grr": _ratio(starting - contr - churn, starting),
                "quick_ratio": _ratio(new + exp_ + react, contr + churn),
                "starting_customers": start_n,
                "new_customers": n("new"),
                "reactivated_customers": n("reactivation"),
                "churned_customers": n("churn"),
                "ending_customers": end_n,
            })
            ps = nxt
    return pd.DataFrame(rows)


def compute_waterfall_by_segment(ledger: Ledger, movements: pd.DataFrame,
                                 grain: str = "day", *,
                                 left_out: pd.DataFrame | None = None,
                                 revaluation: np.ndarray | None = None) -> pd.DataFrame:
    segs = np.array([ledger.segments[c] for c in ledger.customers])
    frames = []
    for seg in sorted(set(segs)):
        wf = compute_waterfall(ledger, movements, grain, customer_mask=(segs == seg),
                               left_out=left_out, revaluation=revaluation)
        if not wf.empty:
            wf.insert(0, "segment", seg)
            frames.append(wf)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


# --------------------------------------------------------------------------------------
# Everything at once
# --------------------------------------------------------------------------------------

@dataclass
class OracleResult:
    staged: StagedEvents
    as_of: dt.date
    ledger: Ledger
    movements: pd.DataFrame
    waterfall: pd.DataFrame
    waterfall_by_segment: pd.DataFrame
    # the events as the ledger saw them (after the policy rules rewrote the history),
    # the rules in force, and the short-lived movements left out of `movements`
    events: pd.DataFrame | None = None
    policy: dict | None = None
    left_out: pd.DataFrame | None = None

    def customer_arr_at_as_of(self) -> dict[str, float]:
        """Each customer's ARR at the end of as_of, valued at as_of's rates."""
        i = self.ledger.idx(self.as_of)
        vals = self.ledger.value(i, i)
        return dict(zip(self.ledger.customers, map(float, vals)))


def run_oracle(raw_dir: Path, vars: dict | None = None) -> OracleResult:
    """Recompute movements and waterfalls from the raw files with the given dbt vars."""
    vars = dict(vars or {})
    policy = resolve_policy(vars)
    grain = vars.get("movement_grain", "day")
    reporting = str(vars.get("reporting_currency", "USD")).upper()
    staged = stage_events(read_raw_table(raw_dir, "subscription_events"))
    # the default as_of comes from the events as written, before any rule re-dates them
    as_of = vars.get("as_of_date")
    as_of = (parse_ts(str(as_of)).date() if as_of is not None
             else default_as_of(staged.accepted))
    segments = customer_segments(read_raw_table(raw_dir, "customers"))
    fx = fx_table(read_raw_table(raw_dir, "fx_rates"), reporting)
    events = apply_event_policies(staged.accepted, policy, fx, reporting, as_of)
    ledger = build_ledger(events, fx, as_of, reporting, segments)
    revaluation = None
    if policy["fx_valuation"] == "service_start":
        in_own_currencies = apply_event_policies(
            staged.accepted, {**policy, "fx_valuation": "period_end"}, fx, reporting, as_of)
        revaluation = service_start_revaluations(in_own_currencies, fx, reporting, ledger,
                                                 grain)
    mv, left_out = movements_and_left_out(
        ledger, grain, policy["reactivation_window_months"],
        reactivation_rule=policy["reactivation_rule"],
        window_days=policy["reactivation_window_days"],
        short_lived=policy["short_lived_customers"],
        pause_treatment=policy["pause_treatment"], enders=ending_events(events, as_of),
        revaluation=revaluation)
    wf = compute_waterfall(ledger, mv, grain, left_out=left_out, revaluation=revaluation)
    wfs = compute_waterfall_by_segment(ledger, mv, grain, left_out=left_out,
                                       revaluation=revaluation)
    return OracleResult(staged, as_of, ledger, mv, wf, wfs, events, policy, left_out)


# --------------------------------------------------------------------------------------
# Comparing the oracle with a mart
# --------------------------------------------------------------------------------------

MONEY_TOL = 0.01   # agree to the cent
RATE_TOL = 1e-9


def _norm_value(v):
    """Python scalars for comparison: timestamps as naive UTC datetimes, NaN/NaT/NA as
    None (date columns are turned into datetime.date by normalise_frame first)."""
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, pd.Timestamp):
        return v.tz_convert("UTC").tz_localize(None).to_pydatetime() if v.tzinfo \
            else v.to_pydatetime()
    if isinstance(v, np.generic):
        return v.item()
    return v


def normalise_frame(df: pd.DataFrame, date_cols=()) -> pd.DataFrame:
    out = df.copy()
    for c in date_cols:
        if c in out.columns:
            out[c] = [None if _norm_value(v) is None else pd.Timestamp(v).date()
                      for v in out[c]]
    return out


def compare_frames(expected: pd.DataFrame, actual: pd.DataFrame, keys: list[str], *,
                   money: tuple = (), rates: tuple = (), exact: tuple = (),
                   label: str = "", ignore_unmatched=None, max_rows: int = 8) -> list[str]:
    """Row-for-row comparison on keys. Returns human-readable problems (empty = agree).

    money: abs diff <= MONEY_TOL; rates: both null or abs diff <= RATE_TOL (relative for
    large values); exact: equal after normalisation (counts, labels, flags).
    ignore_unmatched(row) -> True drops an unmatched row from the report (used for
    all-zero segment rows that one side may leave out).
    """
    cols = list(money) + list(rates) + list(exact)
    e = expected[keys + [c for c in cols if c in expected.columns]].copy()
    a = actual[keys + [c for c in cols if c in actual.columns]].copy()
    for df in (e, a):
        for k in keys:
            df[k] = [_norm_value(v) for v in df[k]]
    problems = []
    for name, df in (("oracle", e), ("mart", a)):
        dup = df[df.duplicated(keys, keep=False)]
        if len(dup):
            problems.append(f"{label}: {len(dup)} rows with duplicate keys {keys} in the "
                            f"{name}:\n{dup.head(max_rows).to_string()}")
    m = e.merge(a, on=keys, how="outer", suffixes=("_oracle", "_mart"), indicator=True)
    for side, name in (("left_only", "in the oracle but not the mart"),
                       ("right_only", "in the mart but not the oracle")):
        un = m[m["_merge"] == side]
        if ignore_unmatched is not None and len(un):
            un = un[[not ignore_unmatched(r, side) for _, r in un.iterrows()]]
        if len(un):
            problems.append(f"{label}: {len(un)} rows {name}, e.g.:\n"
                            f"{un.drop(columns='_merge').head(max_rows).to_string()}")
    both = m[m["_merge"] == "both"]
    for c in cols:
        oc, mc = f"{c}_oracle", f"{c}_mart"
        if oc not in both.columns or mc not in both.columns:
            problems.append(f"{label}: column {c} missing on one side")
            continue
        bad = []
        for idx, (x, y) in enumerate(zip(both[oc], both[mc])):
            x, y = _norm_value(x), _norm_value(y)
            if c in money:
                ok = (x is None and y is None) or (
                    x is not None and y is not None and abs(float(x) - float(y)) <= MONEY_TOL)
            elif c in rates:
                ok = (x is None and y is None) or (
                    x is not None and y is not None
                    and abs(float(x) - float(y)) <= RATE_TOL * max(1.0, abs(float(x))))
            else:
                if isinstance(x, float) and isinstance(y, (int, float)) or isinstance(
                        y, float) and isinstance(x, (int, float)):
                    ok = float(x) == float(y)
                else:
                    ok = x == y
            if not ok:
                bad.append(idx)
        if bad:
            show = both.iloc[bad][keys + [oc, mc]].head(max_rows)
            problems.append(f"{label}: {len(bad)} rows differ in {c}, e.g.:\n{show.to_string()}")
    return problems


WATERFALL_MONEY = ("starting_arr", "new_arr", "expansion_arr", "reactivation_arr",
                   "contraction_arr", "churned_arr", "fx_impact", "ending_arr", "net_new_arr")
WATERFALL_RATES = ("nrr", "grr", "quick_ratio")
WATERFALL_COUNTS = ("starting_customers", "new_customers", "reactivated_customers",
                    "churned_customers", "ending_customers")


def movement_problems(expected: pd.DataFrame, mart: pd.DataFrame, label: str) -> list[str]:
    """fct_arr_movements row for row: key (customer_id, movement_date); type, both sides
    and the signed change to the cent; segment and change_date (the day it took
    effect); the returning flag on 'new' rows and days_since_churn on reactivations (the
    SPEC defines those only there)."""
    mart = normalise_frame(mart, ["movement_date", "change_date"])
    keys = ["customer_id", "movement_date"]
    problems = compare_frames(expected, mart, keys,
                              money=("arr_before", "arr_after", "arr_change"),
                              exact=("movement_type", "segment", "change_date"), label=label)
    for mtype, col in (("new", "is_returning_customer"), ("reactivation", "days_since_churn")):
        problems += compare_frames(
            expected[expected.movement_type == mtype], mart[mart.movement_type == mtype],
            keys, exact=(col,), label=f"{label} {mtype} rows")
    return problems


def _all_zero(row, side) -> bool:
    """A segment-period row with nothing in it may exist on one side only."""
    suffix = "_oracle" if side == "left_only" else "_mart"
    vals = [_norm_value(row.get(c + suffix)) for c in WATERFALL_MONEY + WATERFALL_COUNTS]
    return all(v is None or abs(float(v)) < 0.005 for v in vals)


def waterfall_problems(expected: pd.DataFrame, mart: pd.DataFrame, label: str,
                       by_segment: bool = False) -> list[str]:
    """Every waterfall row: money to the cent, ratios to 1e-9, counts exactly. For the
    by-segment mart, an all-zero segment-period row may be missing on either side."""
    mart = normalise_frame(mart, ["period_start", "period_end"])
    keys = (["segment"] if by_segment else []) + ["period_grain", "period_start"]
    if expected.empty:
        return [] if mart.empty else [f"{label}: the oracle has no rows but the mart has "
                                      f"{len(mart)}:\n{mart.head(8).to_string()}"]
    unmatched = _all_zero if by_segment else None
    problems = compare_frames(
        expected, mart, keys, money=tuple(c for c in WATERFALL_MONEY if c != "net_new_arr"),
        rates=WATERFALL_RATES, exact=WATERFALL_COUNTS + ("period_end",), label=label,
        ignore_unmatched=unmatched)
    # net_new_arr on its own, so that its (assumed) definition is named when it differs
    problems += compare_frames(
        expected, mart, keys, money=("net_new_arr",), ignore_unmatched=unmatched,
        label=f"{label} [oracle assumes net_new_arr = ending_arr - starting_arr, fx "
              f"included: NET_NEW_ARR_INCLUDES_FX={NET_NEW_ARR_INCLUDES_FX}]")
    return problems


def identity_problems(wf: pd.DataFrame, label: str) -> list[str]:
    """ending = starting + new + expansion + reactivation - contraction - churned + fx."""
    if wf.empty:
        return []
    rhs = (wf.starting_arr + wf.new_arr + wf.expansion_arr + wf.reactivation_arr
           - wf.contraction_arr - wf.churned_arr + wf.fx_impact)
    bad = wf.assign(gap=wf.ending_arr - rhs)[lambda d: d.gap.astype(float).abs() > MONEY_TOL]
    return [f"{label}: {len(bad)} rows where the bridge does not close:\n"
            f"{bad.head(8).to_string()}"] if len(bad) else []


def continuity_problems(wf: pd.DataFrame, label: str, by_segment: bool = False) -> list[str]:
    """Each period's starting_arr is the previous period's ending_arr (per grain/segment)."""
    if wf.empty:
        return []
    wf = normalise_frame(wf, ["period_start", "period_end"])
    problems = []
    group_cols = (["segment"] if by_segment else []) + ["period_grain"]
    for key, g in wf.groupby(group_cols):
        g = g.sort_values("period_start")
        prev_end = g.ending_arr.shift(1)
        bad = g[(g.starting_arr - prev_end).abs() > MONEY_TOL]
        if len(bad):
            problems.append(f"{label} {key}: starting_arr != previous ending_arr:\n"
                            f"{bad.head(8).to_string()}")
    return problems
