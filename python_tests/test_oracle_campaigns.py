"""Win-back campaigns: attribution, fct_campaign_performance and fct_acquisition_cost
recomputed in pandas from the raw files, against the marts.

The raw folder is the harness's `large` generated size plus extra memberships that the
generator rarely produces: control members touched by another campaign soon after their
assignment, and customers touched by two campaigns (some touches before their
reactivation, some after, some outside the window). The oracle reads the raw CSVs itself
(its own parsing, FX lookup and acceptance rules) and takes the reactivations, as_of_date
and the new-customer movements from the pandas oracles (oracle.run_oracle and the churn
episodes of test_oracle_reactivation), which recompute them from the raw files by their
own route: nothing is read from the build but the marts under test, so an error in
reactivation detection cannot cancel out.
"""

from __future__ import annotations

import json
import random
import shutil
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT, read_table, run_dbt_build

SIZE = "large"
WINDOW = 90  # attribution_window_days (the default)
REPORTING = "USD"
SELECT = ("+fct_campaign_performance +fct_campaign_type_performance +fct_acquisition_cost "
          "+fct_churn_episodes")


# --------------------------------------------------------------------------------------
# The raw folder and the build
# --------------------------------------------------------------------------------------

def _iso(ts: pd.Timestamp) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S")


def _augment_members(raw: Path, seed: int = 5) -> int:
    """Append valid memberships that exercise the attribution and control-group edges.
    Returns how many rows were added."""
    rng = random.Random(seed)
    path = raw / "campaign_members.csv"
    members = pd.read_csv(path, dtype=str, keep_default_na=False)
    campaigns = pd.read_csv(raw / "campaigns.csv", dtype=str, keep_default_na=False)
    ids = sorted(campaigns["campaign_id"])
    keys = set(zip(members["campaign_id"], members["customer_id"]))
    valid = members[members["member_group"].isin(["treatment", "control"])]
    added = []

    def other_campaign(campaign_id: str, customer_id: str) -> str | None:
        choices = [c for c in ids if c != campaign_id and (c, customer_id) not in keys]
        return rng.choice(choices) if choices else None

    for row in valid.itertuples():
        assigned = _ts(row.assigned_at)
        if row.member_group == "control" and rng.random() < 0.5:
            # touched by another campaign inside (or, now and then, after) the window
            other = other_campaign(row.campaign_id, row.customer_id)
            if other is None:
                continue
            days = rng.choice([3, 20, 60, WINDOW, WINDOW + 1, 150])
            touched = assigned + timedelta(days=days, hours=rng.uniform(0, 20))
        elif row.member_group == "treatment" and row.touched_at and rng.random() < 0.6:
            # a second campaign touching the same customer, before or after the first
            other = other_campaign(row.campaign_id, row.customer_id)
            if other is None:
                continue
            touched = _ts(row.touched_at) + timedelta(days=rng.uniform(-40, 40))
        else:
            continue
        keys.add((other, row.customer_id))
        responded = touched + timedelta(days=rng.uniform(1, 10)) if rng.random() < 0.4 else None
        added.append({"campaign_id": other, "customer_id": row.customer_id,
                      "member_group": "treatment",
                      "assigned_at": _iso(touched - timedelta(days=rng.uniform(0.5, 5))),
                      "touched_at": _iso(touched),
                      "responded_at": _iso(responded) if responded is not None else ""})
    out = pd.concat([members, pd.DataFrame(added, columns=members.columns)], ignore_index=True)
    out.to_csv(path, index=False, lineterminator="\n")
    return len(added)


@pytest.fixture(scope="module")
def built(scenarios, tmp_path_factory):
    base = tmp_path_factory.mktemp("campaigns")
    raw = base / "raw"
    shutil.copytree(scenarios.raw_dir(SIZE), raw)
    added = _augment_members(raw)
    assert added > 10, "the augmentation should add edge memberships"
    db = base / "campaigns.duckdb"
    run_dbt_build(raw, db, select=SELECT)
    return raw, db


# --------------------------------------------------------------------------------------
# The oracle
# --------------------------------------------------------------------------------------

def _ts(text: str):
    """ISO 8601 text to a naive UTC timestamp; an offset is applied, none means UTC."""
    if text is None or str(text).strip() == "":
        return None
    return pd.Timestamp(pd.to_datetime(str(text).strip(), utc=True, format="ISO8601")) \
        .tz_convert(None)


def _number(text: str):
    try:
        return float(str(text).strip())
    except ValueError:
        return None


def _rate_in_force(rates: pd.DataFrame, currency: str, day) -> float:
    if currency == REPORTING:
        return 1.0
    r = rates[(rates["currency"] == currency) & (rates["rate_date"] <= day)]
    assert len(r), f"no rate in force for {currency} on {day}"
    return float(r.sort_values("rate_date")["rate"].iloc[-1])


def _load_raw(raw: Path) -> dict[str, pd.DataFrame]:
    text = {t: pd.read_csv(raw / f"{t}.csv", dtype=str, keep_default_na=False)
            for t in ("campaigns", "campaign_members", "fx_rates", "acquisition_spend")}
    aliases = pd.read_csv(ROOT / "seeds" / "campaign_type_aliases.csv", dtype=str)
    alias = {a.strip().lower(): t for a, t in zip(aliases["alias"], aliases["campaign_type"])}

    fx = text["fx_rates"].assign(rate=lambda d: d["rate_to_reporting"].map(_number),
                                 currency=lambda d: d["currency"].str.strip().str.upper())
    fx = fx[fx["rate"].notna() & (fx["currency"] != REPORTING)].copy()
    fx["rate_date"] = pd.to_datetime(fx["rate_date"]).dt.date

    c = text["campaigns"].copy()
    c["campaign_type"] = c["campaign_type"].str.strip().str.lower().map(alias)
    c["started_at"] = c["started_at"].map(_ts)
    c["cost_local"] = c["cost"].map(_number)
    c["currency"] = c["currency"].str.strip().str.upper()
    c = c[c["campaign_id"].str.strip().ne("") & c["campaign_type"].notna()
          & c["started_at"].notna() & c["cost_local"].notna() & (c["cost_local"] >= 0)].copy()
    assert c["campaign_id"].is_unique
    c["started_date"] = c["started_at"].map(lambda t: t.date())
    c["rate"] = [_rate_in_force(fx, cur, d) for cur, d in zip(c["currency"], c["started_date"])]
    c["cost"] = c["cost_local"] * c["rate"]

    m = text["campaign_members"].copy()
    m["member_group"] = m["member_group"].str.strip().str.lower()
    for col in ("assigned_at", "touched_at", "responded_at"):
        m[col] = m[col].map(_ts)
    m = m[m["campaign_id"].isin(set(c["campaign_id"]))
          & m["member_group"].isin(["treatment", "control"]) & m["assigned_at"].notna()
          & ~((m["member_group"] == "control") & m["touched_at"].notna())].copy()
    assert not m.duplicated(["campaign_id", "customer_id"]).any()

    s = text["acquisition_spend"].copy()
    s["spend_local"] = s["spend"].map(_number)
    s = s[s["spend_local"].notna() & (s["spend_local"] >= 0)].copy()
    s["spend_month"] = pd.to_datetime(s["month"]).dt.date
    s["currency"] = s["currency"].str.strip().str.upper()
    s["spend_reporting"] = [v * _rate_in_force(fx, cur, d) for v, cur, d in
                            zip(s["spend_local"], s["currency"], s["spend_month"])]
    return {"campaigns": c, "members": m, "spend": s}


def _reactivations(episodes: pd.DataFrame) -> pd.DataFrame:
    """Reactivations from the churn episodes, with the customer's previous reactivation
    and the next churn after each (the first churn_date after the return)."""
    ep = episodes.copy()
    for col in ("churn_date", "reactivated_date"):
        ep[col] = pd.to_datetime(ep[col]).dt.date
    churns = ep.groupby("customer_id")["churn_date"].apply(sorted).to_dict()
    r = ep[ep["reactivated_date"].notna()].sort_values(["customer_id", "churn_date"]).copy()
    r["previous_reactivation_date"] = r.groupby("customer_id")["reactivated_date"].shift()
    r["next_churn_date"] = [next((d for d in churns[cu] if d > back), None)
                            for cu, back in zip(r["customer_id"], r["reactivated_date"])]
    r["reactivation_arr"] = r["reactivation_arr"].astype(float)
    return r


def oracle_attribution(members: pd.DataFrame, reactivations: pd.DataFrame, as_of) -> pd.DataFrame:
    touches = members[(members["member_group"] == "treatment") & members["touched_at"].notna()]
    by_customer = {cu: g for cu, g in touches.groupby("customer_id")}
    rows = []
    for r in reactivations.itertuples():
        g = by_customer.get(r.customer_id)
        if g is None:
            continue
        best = None
        for t in g.itertuples():
            day = t.touched_at.date()
            prev = r.previous_reactivation_date
            if day <= r.reactivated_date and (r.reactivated_date - day).days <= WINDOW \
                    and (pd.isna(prev) or day > prev):
                key = (t.touched_at, t.campaign_id)
                if best is None or key > best:
                    best = key
        if best is None:
            continue
        until = r.next_churn_date if r.next_churn_date and r.next_churn_date < as_of else as_of
        days = max((until - r.reactivated_date).days, 0)
        rows.append({"customer_id": r.customer_id, "churn_date": r.churn_date,
                     "reactivated_date": r.reactivated_date, "campaign_id": best[1],
                     "reactivation_arr": r.reactivation_arr,
                     "realised_revenue": r.reactivation_arr * days / 365})
    return pd.DataFrame(rows, columns=["customer_id", "churn_date", "reactivated_date",
                                       "campaign_id", "reactivation_arr", "realised_revenue"])


def _ratio(n, d):
    return None if d == 0 or d is None or pd.isna(d) else n / d


def known_at(data: dict, as_of) -> dict:
    """The campaigns and memberships as known at as_of: campaigns started by then,
    members assigned by then, touches and responses after it not yet happened."""
    c = data["campaigns"]
    c = c[c["started_date"] <= as_of].copy()
    m = data["members"]
    m = m[m["campaign_id"].isin(set(c["campaign_id"]))
          & (m["assigned_at"].map(lambda t: t.date()) <= as_of)].copy()
    for col in ("touched_at", "responded_at"):
        m[col] = [t if t is not None and not pd.isna(t) and t.date() <= as_of else None
                  for t in m[col]]
    return {**data, "campaigns": c, "members": m}


def oracle_performance(campaigns, members, reactivations, attributed, as_of) -> pd.DataFrame:
    """The lift compares members whose window has closed by as_of on both sides: a
    touched member WINDOW days after the touch, a control member WINDOW days after the
    assignment; it is then applied to every touched member."""
    touches = members[(members["member_group"] == "treatment") & members["touched_at"].notna()]
    out = []
    for c in campaigns.itertuples():
        mem = members[members["campaign_id"] == c.campaign_id]
        treat = mem[mem["member_group"] == "treatment"]
        touched = treat[treat["touched_at"].notna()]
        responded = touched[touched["responded_at"].notna()]
        closed_ids = {t.customer_id for t in touched.itertuples()
                      if t.touched_at.date() + timedelta(days=WINDOW) <= as_of}
        att = attributed[attributed["campaign_id"] == c.campaign_id]
        n_att, arr = len(att), float(att["reactivation_arr"].sum())
        closed_att = int(att["customer_id"].isin(closed_ids).sum())
        eligible = closed = reactivated = 0
        for ctl in mem[mem["member_group"] == "control"].itertuples():
            start = ctl.assigned_at.date()
            end = start + timedelta(days=WINDOW)
            elsewhere = touches[(touches["customer_id"] == ctl.customer_id)
                                & (touches["campaign_id"] != c.campaign_id)]
            if any(start <= t.date() <= end for t in elsewhere["touched_at"]):
                continue
            eligible += 1
            if end > as_of:
                continue          # the window is still open: the outcome is not known
            closed += 1
            back = reactivations[reactivations["customer_id"] == ctl.customer_id]
            reactivated += any(start <= d <= end for d in back["reactivated_date"])
        cac = _ratio(c.cost, n_att)
        avg_arr = _ratio(arr, n_att)
        control_rate = _ratio(reactivated, closed)
        treatment_rate = _ratio(closed_att, len(closed_ids))
        incr = None if control_rate is None or treatment_rate is None else \
            len(touched) * treatment_rate - len(touched) * control_rate
        incr_arr = None if incr is None or avg_arr is None else incr * avg_arr
        realised = float(att["realised_revenue"].sum())
        out.append({
            "campaign_id": c.campaign_id, "campaign_type": c.campaign_type, "cost": c.cost,
            "treatment_members": len(treat),
            "control_members": int((mem["member_group"] == "control").sum()),
            "touched_members": len(touched), "responded_members": len(responded),
            "response_rate": _ratio(len(responded), len(touched)),
            "attributed_reactivations": n_att,
            "reactivation_rate": _ratio(n_att, len(touched)),
            "reactivation_arr": arr, "roi": _ratio(arr - c.cost, c.cost), "cac": cac,
            "payback_months": None if cac is None else _ratio(cac, avg_arr / 12),
            "eligible_control_members": eligible, "closed_control_members": closed,
            "closed_touched_members": len(closed_ids),
            "closed_attributed_reactivations": closed_att, "control_reactivations": reactivated,
            "control_reactivation_rate": control_rate, "incremental_reactivations": incr,
            "incremental_roi": None if incr_arr is None else _ratio(incr_arr - c.cost, c.cost),
            "realised_revenue": realised, "realised_roi": _ratio(realised - c.cost, c.cost),
        })
    return pd.DataFrame(out)


@pytest.fixture(scope="module")
def computed(built):
    import oracle
    from test_oracle_reactivation import ReactivationOracle

    raw, db = built
    revenue = oracle.run_oracle(raw, {})
    episodes = ReactivationOracle(revenue, raw, {}).episodes
    as_of = revenue.as_of
    data = known_at(_load_raw(raw), as_of)
    reactivations = _reactivations(episodes)
    attributed = oracle_attribution(data["members"], reactivations, as_of)
    performance = oracle_performance(data["campaigns"], data["members"], reactivations,
                                     attributed, as_of)
    return {**data, "db": db, "episodes": episodes, "reactivations": reactivations,
            "attributed": attributed, "performance": performance,
            "movements": revenue.movements}


# --------------------------------------------------------------------------------------
# The comparisons
# --------------------------------------------------------------------------------------

MONEY = ["cost", "reactivation_arr", "cac", "realised_revenue"]
COUNTS = ["treatment_members", "control_members", "touched_members", "responded_members",
          "attributed_reactivations", "eligible_control_members", "closed_control_members",
          "closed_touched_members", "closed_attributed_reactivations", "control_reactivations"]
RATIOS = ["response_rate", "reactivation_rate", "roi", "payback_months",
          "control_reactivation_rate", "incremental_reactivations", "incremental_roi",
          "realised_roi"]


def _same(a, b, tol) -> bool:
    a_null = a is None or (isinstance(a, float) and np.isnan(a)) or a is pd.NA
    b_null = b is None or (isinstance(b, float) and np.isnan(b)) or b is pd.NA
    if a_null or b_null:
        return a_null and b_null
    return abs(float(a) - float(b)) <= tol


def test_the_data_exercise_the_edges(computed):
    """The scenario is worth comparing: reactivations attributed, contested touches,
    ineligible controls, a campaign in another currency and a control group."""
    perf, members = computed["performance"], computed["members"]
    assert len(computed["attributed"]) >= 5
    touched = members[(members["member_group"] == "treatment") & members["touched_at"].notna()]
    assert touched["customer_id"].duplicated().any(), "no customer touched twice"
    assert (perf["control_members"] > perf["eligible_control_members"]).any()
    assert (perf["eligible_control_members"] > 0).any()
    assert (computed["campaigns"]["currency"] != REPORTING).any()


def test_attribution_matches_oracle(computed):
    episodes = read_table(computed["db"], "fct_churn_episodes")
    episodes["churn_date"] = pd.to_datetime(episodes["churn_date"]).dt.date
    mart = {(r.customer_id, r.churn_date): r.attributed_campaign_id
            for r in episodes.itertuples() if isinstance(r.attributed_campaign_id, str)}
    expected = {(r.customer_id, r.churn_date): r.campaign_id
                for r in computed["attributed"].itertuples()}
    assert mart == expected


def test_campaign_performance_matches_oracle(computed):
    mart = read_table(computed["db"], "fct_campaign_performance").set_index("campaign_id")
    expected = computed["performance"].set_index("campaign_id")
    assert sorted(mart.index) == sorted(expected.index)
    problems = []
    for cid, row in expected.iterrows():
        got = mart.loc[cid]
        assert got["campaign_type"] == row["campaign_type"], cid
        for col in COUNTS:
            if int(got[col]) != int(row[col]):
                problems.append((cid, col, got[col], row[col]))
        for col in MONEY:
            if not _same(got[col], row[col], 0.01):
                problems.append((cid, col, got[col], row[col]))
        for col in RATIOS:
            if not _same(got[col], row[col], 1e-6):
                problems.append((cid, col, got[col], row[col]))
    assert not problems, json.dumps([[str(x) for x in p] for p in problems], indent=1)


def test_campaign_type_rollup_adds_up(computed):
    mart = read_table(computed["db"], "fct_campaign_type_performance")
    perf = computed["performance"]
    assert int(mart["campaigns"].sum()) == len(perf)
    assert int(mart["attributed_reactivations"].sum()) == \
        int(perf["attributed_reactivations"].sum())
    assert abs(float(mart["cost"].sum()) - perf["cost"].sum()) < 0.05
    by_type = perf.groupby("campaign_type")[["responded_members", "touched_members"]].sum()
    for row in mart.itertuples():
        if len(mart[mart["campaign_type"] == row.campaign_type]) == 1:
            e = by_type.loc[row.campaign_type]
            assert _same(row.response_rate,
                         _ratio(e["responded_members"], e["touched_members"]), 1e-9)


def test_acquisition_cost_matches_oracle(computed):
    db = computed["db"]
    mart = read_table(db, "fct_acquisition_cost")
    mart["period_start"] = pd.to_datetime(mart["period_start"]).dt.date
    months = mart[mart["period_grain"] == "month"].set_index("period_start")
    movements = computed["movements"]
    new = movements[(movements["movement_type"] == "new") & ~movements["is_returning_customer"]]
    new_by_month = pd.to_datetime(new["movement_date"]).dt.to_period("M").value_counts()
    spend_by_month = computed["spend"].groupby("spend_month")["spend_reporting"].sum()
    attributed = computed["attributed"]
    att_by_month = pd.Series([d.replace(day=1) for d in attributed["reactivated_date"]]) \
        .value_counts()
    campaigns = computed["campaigns"]
    cost_by_month = campaigns.assign(m=[d.replace(day=1) for d in campaigns["started_date"]]) \
        .groupby("m")["cost"].sum()
    problems = []
    for month, got in months.iterrows():
        n_new = int(new_by_month.get(pd.Period(month, "M"), 0))
        spend = float(spend_by_month.get(month, 0.0))
        n_att = int(att_by_month.get(month, 0))
        cost = float(cost_by_month.get(month, 0.0))
        new_cac, react_cac = _ratio(spend, n_new), _ratio(cost, n_att)
        expected = {"new_customers": n_new, "acquisition_spend": spend,
                    "new_customer_cac": new_cac, "attributed_reactivations": n_att,
                    "winback_campaign_cost": cost, "reactivation_cac": react_cac,
                    "cac_ratio": None if new_cac is None or react_cac is None
                    else _ratio(react_cac, new_cac)}
        for col, value in expected.items():
            tol = 1e-6 if col == "cac_ratio" else 0.01
            if not _same(got[col], value, tol):
                problems.append((str(month), col, got[col], value))
    assert not problems, problems[:20]
    # everything attributed and every campaign cost lands in some month of the mart
    assert int(months["attributed_reactivations"].sum()) == len(attributed)


def test_cost_without_fx_rate_stops_the_build_naming_rows(scenarios, tmp_path):
    """A campaign cost or an acquisition spend in a currency with no rate in force fails
    the build with a message naming the table and the rows (JPY has no rates here)."""
    raw = tmp_path / "raw"
    shutil.copytree(scenarios.raw_dir("small"), raw)
    for table, col in (("campaigns", "currency"), ("acquisition_spend", "currency")):
        df = pd.read_csv(raw / f"{table}.csv", dtype=str, keep_default_na=False)
        df.loc[0, col] = "JPY"
        df.to_csv(raw / f"{table}.csv", index=False, lineterminator="\n")
    campaign_id = pd.read_csv(raw / "campaigns.csv", dtype=str).loc[0, "campaign_id"]
    spend = pd.read_csv(raw / "acquisition_spend.csv", dtype=str).iloc[0]
    proc = run_dbt_build(raw, tmp_path / "fx.duckdb", expect_fail=True,
                         select="+stg_raw__campaigns +stg_raw__acquisition_spend")
    log = proc.stdout + proc.stderr
    assert "campaigns rows have an amount in a currency with no rate in fx_rates" in log
    assert f"JPY {campaign_id} (started " in log
    assert "acquisition_spend rows have an amount in a currency with no rate" in log
    assert f"JPY {spend['month']}|{spend['channel'].strip().lower()} (month " in log
