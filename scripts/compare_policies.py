"""Explain how two policy presets differ on the same raw data, rule by rule.

    python scripts/compare_policies.py [--from winback] [--to stripe]
        [--raw data/demo] [--out target/policy_comparison]
    python scripts/compare_policies.py --bridges [--raw data/demo]

The first form builds the revenue marts under the first preset, then switches the rules
that differ to the second preset's values one at a time (in the order of RULES), building
after each switch. Each difference between consecutive builds is caused by the one rule
switched, so every change of the monthly waterfall is attributed to a rule: per month and
movement type, the customers and ARR before and after, the difference, and what happened
to the customers' movements (moved from one month to another, no longer counted, counted
now, valued differently). The steps add up to the whole difference between the presets.
The rows are printed and written to the table `policy_comparison` of
<out>/policy_comparison.duckdb and to <out>/policy_comparison.csv.

The second form builds the revenue marts under every preset and prints the latest
quarter's ARR bridge side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DBT = ROOT / ".venv" / "bin" / "dbt"
PRESETS = ["winback", "chartmogul", "stripe", "baremetrics", "profitwell"]
# The order in which rules are switched from one preset to the other.
RULES = ["cancellation_recognition", "pause_treatment", "reactivation_rule",
         "short_lived_customers", "fx_valuation"]
SELECT = ["--select", "+fct_arr_movements", "+fct_arr_waterfall",
          "--exclude", "resource_type:test", "resource_type:unit_test"]
MOVEMENT_TYPES = ["new", "expansion", "reactivation", "contraction", "churn"]
BRIDGE_COLUMNS = ["starting_arr", "new_arr", "expansion_arr", "reactivation_arr",
                  "contraction_arr", "churned_arr", "fx_impact", "ending_arr",
                  "new_customers", "reactivated_customers", "churned_customers"]


def dbt(args: list[str], work: Path, db_path: Path | None = None) -> str:
    env = dict(os.environ)
    env.update({
        "DBT_PROFILES_DIR": str(ROOT),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    })
    if db_path is not None:
        env["WINBACK_DUCKDB_PATH"] = str(db_path)
    proc = subprocess.run([str(DBT), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    if proc.returncode != 0:
        sys.exit(f"dbt {' '.join(args[:1])} failed:\n{proc.stdout[-4000:]}{proc.stderr[-2000:]}")
    return proc.stdout


def resolve(preset: str, raw: Path, work: Path) -> dict[str, str]:
    """The rule values a preset gives, as the project resolves them (validate_vars logs
    them)."""
    out = dbt(["run-operation", "validate_vars", "--vars",
               json.dumps({"raw_data_dir": str(raw), "policy_preset": preset})], work)
    match = re.search(r"winback policy \(preset [^)]*\): (.*)", out)
    if not match:
        sys.exit(f"no policy line in the output of validate_vars for preset {preset}")
    return dict(item.strip().split("=", 1) for item in match.group(1).split(","))


def build(rules: dict[str, str], raw: Path, db_path: Path, work: Path) -> dict[str, pd.DataFrame]:
    """The revenue marts built with these rule values given explicitly."""
    if db_path.exists():
        db_path.unlink()
    dbt(["build", "--vars", json.dumps({"raw_data_dir": str(raw), **rules}), *SELECT],
        work, db_path)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return {
            "movements": con.execute(
                "select customer_id, movement_date, movement_type, arr_change "
                "from main.fct_arr_movements").df(),
            "waterfall": con.execute(
                "select * from main.fct_arr_waterfall order by period_grain, period_start"
            ).df(),
        }
    finally:
        con.close()


def _month(values) -> pd.Series:
    return pd.to_datetime(values).dt.to_period("M").dt.to_timestamp().dt.date


def _keyed(movements: pd.DataFrame) -> pd.DataFrame:
    """Each customer's k-th movement of each type: the key that follows one movement
    from one build to the next, wherever its month."""
    m = movements.sort_values(["customer_id", "movement_type", "movement_date"]).copy()
    m["k"] = m.groupby(["customer_id", "movement_type"]).cumcount()
    m["month"] = _month(m["movement_date"])
    m["amount"] = m["arr_change"].astype(float).abs()
    return m[["customer_id", "movement_type", "k", "month", "amount"]]


def _money(x: float) -> str:
    return f"{'-' if x < 0 else ''}{abs(x):,.0f}"


def explain_step(before: pd.DataFrame, after: pd.DataFrame) -> dict[tuple, str]:
    """Per (month, movement type): what happened to the movements between two builds."""
    joined = _keyed(before).merge(_keyed(after), how="outer",
                                  on=["customer_id", "movement_type", "k"],
                                  suffixes=("_b", "_a"), indicator=True)
    notes: dict[tuple, list[str]] = {}

    def add(month, mtype, text):
        notes.setdefault((month, mtype), []).append(text)

    gone = joined[joined["_merge"] == "left_only"]
    came = joined[joined["_merge"] == "right_only"]
    # A customer's movement of one type gone and one of another type come in the same
    # month: the same change, classified differently.
    retyped = gone[["customer_id", "movement_type", "month_b", "amount_b"]].merge(
        came[["customer_id", "movement_type", "month_a", "amount_a"]],
        left_on=["customer_id", "month_b"], right_on=["customer_id", "month_a"],
        suffixes=("_was", "_now"))
    retyped = retyped.drop_duplicates(["customer_id", "month_b"])
    for (month, was, now), g in retyped.groupby(
            ["month_b", "movement_type_was", "movement_type_now"]):
        add(month, was, f"{len(g)} now counted as {now} ({_money(-g['amount_b'].sum())})")
        add(month, now, f"{len(g)} counted as {was} before ({_money(g['amount_a'].sum())})")
    pairs = set(zip(retyped["customer_id"], retyped["month_b"]))
    gone = gone.loc[pd.Series([(c, m) not in pairs for c, m in
                               zip(gone["customer_id"], gone["month_b"])],
                              index=gone.index, dtype=bool)]
    came = came.loc[pd.Series([(c, m) not in pairs for c, m in
                               zip(came["customer_id"], came["month_a"])],
                              index=came.index, dtype=bool)]
    for (month, mtype), g in gone.groupby(["month_b", "movement_type"]):
        add(month, mtype, f"{len(g)} no longer counted ({_money(-g['amount_b'].sum())})")
    for (month, mtype), g in came.groupby(["month_a", "movement_type"]):
        add(month, mtype, f"{len(g)} counted now ({_money(g['amount_a'].sum())})")
    both = joined[joined["_merge"] == "both"]
    moved = both[both["month_b"] != both["month_a"]]
    for (mb, ma, mtype), g in moved.groupby(["month_b", "month_a", "movement_type"]):
        add(mb, mtype, f"{len(g)} moved to {ma:%Y-%m} ({_money(-g['amount_b'].sum())})")
        add(ma, mtype, f"{len(g)} moved from {mb:%Y-%m} ({_money(g['amount_a'].sum())})")
    kept = both[(both["month_b"] == both["month_a"])
                & ((both["amount_b"] - both["amount_a"]).abs() > 0.005)]
    for (month, mtype), g in kept.groupby(["month_b", "movement_type"]):
        add(month, mtype, f"{len(g)} valued differently "
                          f"({_money((g['amount_a'] - g['amount_b']).sum())})")
    return {key: "; ".join(texts) for key, texts in notes.items()}


def monthly(wf: pd.DataFrame) -> pd.DataFrame:
    """Monthly customers and ARR per movement type (and fx_impact), long form."""
    months = wf[wf["period_grain"] == "month"]
    rows = []
    for _, r in months.iterrows():
        for mtype, arr_col, n_col in [
            ("new", "new_arr", "new_customers"),
            ("expansion", "expansion_arr", None),
            ("reactivation", "reactivation_arr", "reactivated_customers"),
            ("contraction", "contraction_arr", None),
            ("churn", "churned_arr", "churned_customers"),
            ("fx_impact", "fx_impact", None),
        ]:
            rows.append({"month": pd.Timestamp(r["period_start"]).date(),
                         "movement_type": mtype,
                         "customers": int(r[n_col]) if n_col else None,
                         "arr": float(r[arr_col])})
    return pd.DataFrame(rows)


def compare(preset_from: str, preset_to: str, raw: Path, out: Path) -> pd.DataFrame:
    work = Path(tempfile.mkdtemp(prefix="winback_policies_"))
    rules_from, rules_to = resolve(preset_from, raw, work), resolve(preset_to, raw, work)
    switched = [r for r in RULES if rules_from[r] != rules_to[r]]
    print(f"{preset_from} -> {preset_to}: rules that differ: "
          + (", ".join(f"{r} {rules_from[r]} -> {rules_to[r]}" for r in switched) or "none"))
    rules = dict(rules_from)
    previous = build(rules, raw, work / "step0.duckdb", work)
    frames = []
    for step, rule in enumerate(switched, start=1):
        rules[rule] = rules_to[rule]
        current = build(rules, raw, work / f"step{step}.duckdb", work)
        notes = explain_step(previous["movements"], current["movements"])
        m = monthly(previous["waterfall"]).merge(
            monthly(current["waterfall"]), on=["month", "movement_type"], how="outer",
            suffixes=("_before", "_after"))
        m[["arr_before", "arr_after"]] = m[["arr_before", "arr_after"]].fillna(0.0)
        m["arr_difference"] = m["arr_after"] - m["arr_before"]
        m = m[(m["arr_difference"].abs() > 0.005)
              | (m["customers_before"].fillna(0) != m["customers_after"].fillna(0))]
        m.insert(0, "step", step)
        m.insert(1, "rule", rule)
        m.insert(2, "from_value", rules_from[rule])
        m.insert(3, "to_value", rules_to[rule])
        m["explanation"] = [
            notes.get((row.month, row.movement_type),
                      "revaluation of ARR held in other currencies"
                      if row.movement_type == "fx_impact" else "")
            for row in m.itertuples()]
        frames.append(m)
        previous = current
    columns = ["step", "rule", "from_value", "to_value", "month", "movement_type",
               "customers_before", "customers_after", "arr_before", "arr_after",
               "arr_difference", "explanation"]
    result = (pd.concat(frames, ignore_index=True) if frames
              else pd.DataFrame(columns=columns))[columns]
    result.insert(0, "to_preset", preset_to)
    result.insert(0, "from_preset", preset_from)
    out.mkdir(parents=True, exist_ok=True)
    result.to_csv(out / "policy_comparison.csv", index=False)
    con = duckdb.connect(str(out / "policy_comparison.duckdb"))
    try:
        con.execute("create or replace table policy_comparison as select * from result")
    finally:
        con.close()
    return result


def bridges(raw: Path) -> pd.DataFrame:
    """The latest quarter's bridge under every preset, one column per preset."""
    work = Path(tempfile.mkdtemp(prefix="winback_policies_"))
    columns = {}
    for preset in PRESETS:
        marts = build(resolve(preset, raw, work), raw, work / f"{preset}.duckdb", work)
        q = marts["waterfall"]
        q = q[q["period_grain"] == "quarter"].sort_values("period_start").iloc[-1]
        columns[preset] = {"quarter": f"{q['period_start']:%Y-%m-%d}",
                           **{c: q[c] for c in BRIDGE_COLUMNS}}
    return pd.DataFrame(columns)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="preset_from", default="winback", choices=PRESETS)
    parser.add_argument("--to", dest="preset_to", default="stripe", choices=PRESETS)
    parser.add_argument("--raw", type=Path, default=ROOT / "data" / "demo")
    parser.add_argument("--out", type=Path, default=ROOT / "target" / "policy_comparison")
    parser.add_argument("--bridges", action="store_true",
                        help="print the latest quarter's bridge under every preset")
    args = parser.parse_args()
    raw = args.raw.resolve()
    pd.set_option("display.width", 250, "display.max_columns", 20,
                  "display.max_colwidth", 120, "display.max_rows", 500)
    if args.bridges:
        table = bridges(raw)
        print(table.to_string(formatters=None, float_format=lambda x: f"{x:,.2f}"))
        return
    result = compare(args.preset_from, args.preset_to, raw, args.out.resolve())
    shown = result.drop(columns=["from_preset", "to_preset", "from_value", "to_value"])
    print(shown.to_string(index=False, float_format=lambda x: f"{x:,.2f}"))
    print(f"\n{len(result)} rows in {args.out / 'policy_comparison.duckdb'} "
          f"(table policy_comparison) and {args.out / 'policy_comparison.csv'}")


if __name__ == "__main__":
    main()
