"""Write the winback report: one self-contained HTML file (inline CSS and SVG, no script,
no font or image fetched at view time) drawn from the marts of a DuckDB build.

    python scripts/report.py target/winback.duckdb target/winback_report.html

Every number shown sits in an element with `data-mart`, `data-key` and `data-column`
attributes and its exact value in `data-value`, so a test can check the page against
the marts.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

import duckdb

MOVEMENTS = [("new_arr", "New", "#2e7d32"), ("expansion_arr", "Expansion", "#66bb6a"),
             ("reactivation_arr", "Reactivation", "#1565c0"),
             ("contraction_arr", "Contraction", "#ef6c00"), ("churned_arr", "Churn", "#c62828"),
             ("fx_impact", "FX", "#8d6e63")]
# The marts store contraction and churn as positive amounts that the bridge subtracts.
SUBTRACTED = {"contraction_arr", "churned_arr"}
CURVE_DAYS = [30, 60, 90, 180, 365, 730]


def signed(row: dict, column: str) -> float:
    value = float(row[column] or 0)
    return -value if column in SUBTRACTED else value
CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:17px;margin-top:32px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:12px;margin:8px 0}
th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child{text-align:left}
.note{color:#666;font-size:12px}svg text{font-size:11px;fill:#333}
"""


def esc(value) -> str:
    return html.escape("" if value is None else str(value))


def money(v) -> str:
    if v is None:
        return ""
    return f"-${-float(v):,.0f}" if float(v) < 0 else f"${float(v):,.0f}"


def pct(v) -> str:
    return "" if v is None else f"{float(v):.1%}"


def num(v) -> str:
    return "" if v is None else f"{float(v):,.2f}"


def cell(mart: str, key: str, column: str, value, shown: str) -> str:
    raw = "" if value is None else repr(float(value)) if isinstance(value, (int, float)) \
        or hasattr(value, "as_integer_ratio") else str(value)
    return (f'<td data-mart="{esc(mart)}" data-key="{esc(key)}" data-column="{esc(column)}" '
            f'data-value="{esc(raw)}">{esc(shown)}</td>')


def rows(con, sql: str) -> list[dict]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def waterfall_svg(q: dict) -> str:
    """Article 2's ARR bridge for one quarter: start, each movement floating, end."""
    steps = [("Start", float(q["starting_arr"]), "base")]
    steps += [(label, signed(q, col), color) for col, label, color in MOVEMENTS]
    steps.append(("End", float(q["ending_arr"]), "base"))
    width, height, pad = 760, 300, 50
    level, bars, top = 0.0, [], 0.0
    for label, value, color in steps:
        if color == "base":
            lo, hi, level = 0.0, value, value
        else:
            lo, hi = sorted((level, level + value))
            level += value
        bars.append((label, value, color, lo, hi))
        top = max(top, hi)
    # The axis starts below the lowest level reached, so that movements a few percent of
    # ARR stay visible; the note under the chart says where it starts.
    floor = max(0.0, min(min(b[3] for b in bars[1:-1]), bars[0][4], bars[-1][4])
                - 0.5 * (top - min(b[3] for b in bars[1:-1])))
    bars = [(label, value, color, max(lo, floor), hi) for label, value, color, lo, hi in bars]
    scale = (height - 2 * pad) / ((top - floor) or 1)
    slot = (width - pad) / len(bars)
    out = [f'<svg role="img" aria-label="ARR bridge" width="{width}" height="{height}" '
           f'xmlns="http://www.w3.org/2000/svg">']
    for i, (label, value, color, lo, hi) in enumerate(bars):
        x = pad + i * slot + 6
        y = height - pad - (hi - floor) * scale
        h = max((hi - lo) * scale, 1)
        fill = "#455a64" if color == "base" else color
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot - 12:.1f}" height="{h:.1f}" '
                   f'fill="{fill}"><title>{esc(label)}: {money(value)}</title></rect>')
        out.append(f'<text x="{x + (slot - 12) / 2:.1f}" y="{height - pad + 14}" '
                   f'text-anchor="middle">{esc(label)}</text>')
        out.append(f'<text x="{x + (slot - 12) / 2:.1f}" y="{y - 4:.1f}" '
                   f'text-anchor="middle">{esc(money(value))}</text>')
    out.append("</svg>")
    out.append(f"<p class='note'>The axis starts at {money(floor)}.</p>")
    return "".join(out)


def movements_svg(months: list[dict]) -> str:
    """Monthly movements as bars above (new, expansion, reactivation) and below
    (contraction, churn) zero."""
    width, height, pad = 1000, 280, 40
    ups = [sum(max(signed(m, c), 0) for c, _, _ in MOVEMENTS[:5]) for m in months]
    downs = [sum(min(signed(m, c), 0) for c, _, _ in MOVEMENTS[:5]) for m in months]
    span = (max(ups + [1]) - min(downs + [0])) or 1
    scale = (height - 2 * pad) / span
    zero = pad + max(ups + [1]) * scale
    slot = (width - pad) / max(len(months), 1)
    out = [f'<svg role="img" aria-label="Monthly ARR movements" width="{width}" '
           f'height="{height}" xmlns="http://www.w3.org/2000/svg">',
           f'<line x1="{pad}" x2="{width}" y1="{zero:.1f}" y2="{zero:.1f}" stroke="#999"/>']
    for i, m in enumerate(months):
        x = pad + i * slot
        up, down = zero, zero
        for col, label, color in MOVEMENTS[:5]:
            v = signed(m, col)
            h = abs(v) * scale
            if v >= 0:
                up -= h
                y = up
            else:
                y = down
                down += h
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(slot - 2, 1):.1f}" '
                       f'height="{h:.1f}" fill="{color}"><title>{m["period_start"]} {label}: '
                       f'{money(v)}</title></rect>')
        if i % 6 == 0:
            out.append(f'<text x="{x:.1f}" y="{height - 8}">{esc(m["period_start"])[:7]}</text>')
    out.append("</svg>")
    return "".join(out)


def curves_svg(cohorts: list[dict]) -> str:
    """Cumulative reactivation rate by days since churn, one line per churn cohort; a
    point not yet observable (null in the mart) is left out, never drawn as zero."""
    width, height, pad = 900, 300, 40
    cohorts = [c for c in cohorts
               if any(c[f"reactivation_rate_{d}d"] is not None for d in CURVE_DAYS)][-12:]
    top = max([float(c[f"reactivation_rate_{d}d"]) for c in cohorts for d in CURVE_DAYS
               if c[f"reactivation_rate_{d}d"] is not None] + [0.01])
    xs = {d: pad + i * (width - 200) / (len(CURVE_DAYS) - 1) for i, d in enumerate(CURVE_DAYS)}
    out = [f'<svg role="img" aria-label="Win-back curves" width="{width}" height="{height}" '
           f'xmlns="http://www.w3.org/2000/svg">']
    for d, x in xs.items():
        out.append(f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle">{d}d</text>')
    for n, c in enumerate(cohorts):
        points = [(xs[d], height - pad - float(c[f"reactivation_rate_{d}d"]) / top
                   * (height - 2 * pad)) for d in CURVE_DAYS
                  if c[f"reactivation_rate_{d}d"] is not None]
        if not points:
            continue
        hue = (n * 47) % 360
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        out.append(f'<text x="{width - 150}" y="{pad + 14 * n}" '
                   f'style="fill:hsl({hue},60%,45%)">{esc(c["churn_month"])[:7]}</text>')
        out.append(f'<polyline data-cohort="{esc(c["churn_month"])}" '
                   f'data-points="{len(points)}" points="{path}" fill="none" '
                   f'stroke="hsl({hue},60%,45%)" stroke-width="1.5">'
                   f'<title>{esc(c["churn_month"])}</title></polyline>')
    out.append("</svg>")
    return "".join(out)


def table(mart: str, key_columns: list[str], columns: list[tuple], data: list[dict]) -> str:
    head = "".join(f"<th>{esc(label)}</th>" for _, label, _ in columns)
    body = []
    for r in data:
        key = "|".join(str(r[k]) for k in key_columns)
        body.append("<tr>" + "".join(cell(mart, key, col, r[col], fmt(r[col]))
                                     for col, _, fmt in columns) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def text(v) -> str:
    return "" if v is None else str(v)


def build(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        quarter = rows(con, "select * from fct_arr_waterfall where period_grain = 'quarter' "
                            "order by period_start desc limit 1")[0]
        months = rows(con, "select * from fct_arr_waterfall where period_grain = 'month' "
                           "order by period_start")
        cohorts = rows(con, "select * from fct_reactivation_cohorts order by churn_month")
        rates = rows(con, "with latest as (select max(period_start) as p from "
                          "fct_reactivation_rate where period_grain = 'quarter') "
                          "select r.* from fct_reactivation_rate r, latest "
                          "where r.period_grain = 'quarter' and r.period_start = latest.p "
                          "order by dimension, dimension_value")
        campaigns = rows(con, "select * from fct_campaign_type_performance "
                              "order by campaign_type, target_segment, channel")
        targets = rows(con, "select * from fct_winback_targets where priority is not null "
                            "order by expected_arr desc nulls last, customer_id limit 15")
        quality = rows(con, "select * from dq_reconciliation order by source_table")
    finally:
        con.close()
    qkey = str(quarter["period_start"])
    bridge = table("fct_arr_waterfall", ["period_grain", "period_start"],
                   [("starting_arr", "Starting ARR", money)]
                   + [(c, label, money) for c, label, _ in MOVEMENTS]
                   + [("ending_arr", "Ending ARR", money), ("nrr", "NRR", pct),
                      ("grr", "GRR", pct), ("quick_ratio", "Quick ratio", num)], [quarter])
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<title>winback report</title><style>{CSS}</style></head><body>",
        "<h1>winback: ARR, churn and win-back</h1>",
        f"<h2 id='bridge'>ARR bridge, quarter starting {esc(qkey)}</h2>",
        waterfall_svg(quarter), bridge,
        "<h2 id='movements'>Monthly ARR movements</h2>", movements_svg(months),
        "<h2 id='curves'>Win-back curves by churn cohort</h2>",
        "<p class='note'>Cumulative share of each month's churned customers who came back, by "
        "days since churn, for the latest twelve churn months. Points not yet observable "
        "are absent, not zero.</p>",
        curves_svg(cohorts),
        "<h2 id='rates'>Reactivation and win-back rate, latest quarter</h2>",
        table("fct_reactivation_rate", ["period_grain", "period_start", "dimension",
                                        "dimension_value"],
              [("dimension", "Dimension", text), ("dimension_value", "Value", text),
               ("inactive_customers", "Inactive", text),
               ("reactivated_customers", "Reactivated", text),
               ("reactivation_rate", "Reactivation rate", pct),
               ("win_back_rate", "ARR win-back rate", pct)], rates),
        "<h2 id='campaigns'>Campaigns</h2>",
        table("fct_campaign_type_performance", ["campaign_type", "target_segment", "channel"],
              [("campaign_type", "Type", text), ("target_segment", "Segment", text),
               ("channel", "Method", text), ("response_rate", "Response rate", pct),
               ("reactivation_rate", "Reactivation rate", pct), ("cac", "CAC", money),
               ("payback_months", "Payback (months)", num), ("roi", "ROI", pct),
               ("incremental_roi", "Incremental ROI", pct)], campaigns),
        "<h2 id='targets'>Win-back targets (top 15 by expected ARR)</h2>",
        table("fct_winback_targets", ["customer_id"],
              [("customer_id", "Customer", text), ("segment", "Segment", text),
               ("churn_reason_category", "Churn reason", text),
               ("days_since_churn", "Days since churn", text),
               ("final_arr", "Final ARR", money), ("priority", "Priority", text),
               ("recommended_approach", "Approach", text),
               ("reactivation_probability_90d", "P(return in 90d)", pct),
               ("expected_arr", "Expected ARR", money)], targets),
        "<h2 id='quality'>Data quality</h2>",
        table("dq_reconciliation", ["source_table"],
              [("source_table", "Raw table", text), ("raw_rows", "Raw rows", text),
               ("accepted_rows", "Accepted", text), ("rejected_rows", "Rejected", text),
               ("merged_duplicate_rows", "Merged duplicates", text)], quality),
        "</body></html>",
    ]
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    db = Path(argv[1] if len(argv) > 1 else "target/winback.duckdb")
    out = Path(argv[2] if len(argv) > 2 else "target/winback_report.html")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build(db), encoding="utf-8")
    print(f"report: {out.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
