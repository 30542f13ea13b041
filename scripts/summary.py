"""Print the headline numbers of a winback build: the latest quarter's ARR bridge in
the shape finance reads it, the last months of the waterfall, and what the data-quality
models accepted and rejected.

Usage: python scripts/summary.py [path/to/winback.duckdb]
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb


def money(value) -> str:
    return f"${float(value):,.0f}"


def signed(value) -> str:
    value = float(value)
    return f"{'+' if value >= 0 else '-'}${abs(value):,.0f}"


def table_exists(con, name: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_name = ?", [name]
        ).fetchone()[0]
    )


def print_bridge(con) -> None:
    row = con.execute(
        """
        select period_start, period_end, starting_arr, new_arr, expansion_arr,
               reactivation_arr, contraction_arr, churned_arr, fx_impact, ending_arr,
               nrr, grr, quick_ratio
        from fct_arr_waterfall
        where period_grain = 'quarter'
        order by period_start desc
        limit 1
        """
    ).fetchone()
    if row is None:
        print("No ARR yet: the waterfall is empty.")
        return
    (start, end, starting, new, expansion, reactivation, contraction, churned, fx,
     ending, nrr, grr, quick) = row
    width = 64
    print(f"ARR bridge, quarter {start} to {end}")
    print("━" * width)
    lines = [
        ("Starting ARR", money(starting)),
        ("+ New ARR (new customers)", signed(new)),
        ("+ Expansion ARR (upsells)", signed(expansion)),
        ("+ Reactivation ARR (win-backs)", signed(reactivation)),
        ("- Contraction ARR (downgrades)", f"-{money(contraction)}"),
        ("- Churned ARR (cancellations)", f"-{money(churned)}"),
        ("± FX impact", signed(fx)),
    ]
    for label, value in lines:
        print(f"{label:<44}{value:>20}")
    print("─" * width)
    print(f"{'Net new ARR':<44}{signed(new + expansion + reactivation - contraction - churned):>20}")
    print(f"{'Ending ARR':<44}{money(ending):>20}")

    def pct(x):
        return "n/a" if x is None else f"{x:.1%}"

    print(f"NRR {pct(nrr)}   GRR {pct(grr)}   quick ratio {'n/a' if quick is None else f'{quick:.2f}'}")
    print()


def print_months(con, count: int = 6) -> None:
    rows = con.execute(
        f"""
        select period_start, starting_arr, new_arr, expansion_arr, reactivation_arr,
               contraction_arr, churned_arr, fx_impact, ending_arr, ending_customers
        from fct_arr_waterfall
        where period_grain = 'month'
        order by period_start desc
        limit {count}
        """
    ).fetchall()
    if not rows:
        return
    header = ("month", "starting", "new", "expansion", "reactiv.", "contract.", "churned",
              "fx", "ending", "customers")
    print(f"Last {len(rows)} months")
    print("".join(f"{h:>12}" for h in header))
    for row in reversed(rows):
        cells = [str(row[0])] + [f"{float(v):,.0f}" for v in row[1:9]] + [str(row[9])]
        print("".join(f"{c:>12}" for c in cells))
    print()


def print_reactivation(con) -> None:
    row = con.execute(
        """
        select period_start, inactive_customers, reactivated_customers, reactivation_rate,
               churned_arr, reactivation_arr, win_back_rate
        from fct_reactivation_rate
        where period_grain = 'quarter' and dimension = 'all'
        order by period_start desc
        limit 1
        """
    ).fetchone()
    if row is None:
        return
    start, pool, back, rate, churned, reactivated, win_back = row

    def pct(x):
        return "n/a" if x is None else f"{x:.1%}"

    print(f"Win-back, quarter from {start}")
    print(f"  reactivation rate  {pct(rate):>8}  ({back:,} of {pool:,} inactive customers came back)")
    print(f"  win-back rate      {pct(win_back):>8}  ({money(reactivated)} reactivated / {money(churned)} churned ARR)")
    curve = con.execute(
        """
        select avg(reactivation_rate_30d), avg(reactivation_rate_60d), avg(reactivation_rate_90d)
        from (
            select * from fct_reactivation_cohorts
            where reactivation_rate_90d is not null
            order by churn_month desc
            limit 12
        ) as latest
        """
    ).fetchone()
    if curve and curve[2] is not None:
        print(
            "  win-back curve (last 12 observed churn months): "
            f"30d {pct(curve[0])}, 60d {pct(curve[1])}, 90d {pct(curve[2])}"
        )
    print()


def print_campaigns(con) -> None:
    """Win-back campaigns by type (article 2's dashboard): what they won back and what it
    returned. One line per type, target segment and channel, as the mart holds them."""
    rows = con.execute(
        """
        select campaign_type, target_segment, campaigns, attributed_reactivations, cost,
               roi, incremental_roi, payback_months
        from fct_campaign_type_performance
        order by campaign_type, target_segment, channel
        """
    ).fetchall()
    if not rows:
        return

    def pct(x):
        return "n/a" if x is None else f"{x:.0%}"

    print("Win-back campaigns by type (fct_campaign_type_performance)")
    header = ("campaigns", "reactiv.", "cost", "ROI", "incr. ROI", "payback")
    print(f"  {'type':<20}{'segment':<12}" + "".join(f"{h:>11}" for h in header))
    for typ, segment, campaigns, reactivations, cost, roi, incremental_roi, payback in rows:
        cells = [f"{campaigns:,}", f"{reactivations:,}", money(cost), pct(roi),
                 pct(incremental_roi), "n/a" if payback is None else f"{payback:.1f} mo"]
        print(f"  {typ:<20}{segment or '':<12}" + "".join(f"{c:>11}" for c in cells))
    print()


def print_data_quality(con) -> None:
    print("Raw rows: accepted / rejected / merged duplicates")
    for table, raw, accepted, rejected, merged in con.execute(
        "select source_table, raw_rows, accepted_rows, rejected_rows, merged_duplicate_rows"
        " from dq_reconciliation order by source_table"
    ).fetchall():
        print(f"  {table:<22}{raw:>10,} raw {accepted:>10,} accepted {rejected:>6,} rejected {merged:>6,} merged")
    reasons = con.execute(
        "select source_table, reason, count(*) from dq_rejected_rows group by 1, 2 order by 1, 3 desc"
    ).fetchall()
    if reasons:
        print("Rejected rows by reason (see dq_rejected_rows)")
        for table, reason, count in reasons:
            print(f"  {table:<22}{reason:<34}{count:>6,}")
    print()


def main(argv: list[str]) -> int:
    path = Path(argv[1] if len(argv) > 1 else "target/winback.duckdb")
    if not path.exists():
        print(f"No DuckDB file at {path}: run the build first.", file=sys.stderr)
        return 1
    con = duckdb.connect(str(path), read_only=True)
    if table_exists(con, "int_reporting_dates"):
        as_of = con.execute("select as_of_date from int_reporting_dates").fetchone()[0]
        print(f"winback — as of {as_of}\n")
    if table_exists(con, "fct_arr_waterfall"):
        print_bridge(con)
        print_months(con)
    if table_exists(con, "fct_reactivation_rate"):
        print_reactivation(con)
    if table_exists(con, "fct_campaign_type_performance"):
        print_campaigns(con)
    print_data_quality(con)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
