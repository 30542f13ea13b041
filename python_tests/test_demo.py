"""The README's demo command, end to end, and what can be checked on its full-size
data: the headline it prints, and the back-test of the win-back probability."""

from __future__ import annotations

from conftest import read_table


def test_demo_command_prints_the_headline(demo):
    out, db = demo
    assert "ARR bridge, quarter" in out and "Ending ARR" in out
    waterfall = read_table(db, "fct_arr_waterfall")
    quarters = waterfall[waterfall["period_grain"] == "quarter"].sort_values("period_start")
    last = quarters.iloc[-1]
    assert f"${float(last['ending_arr']):,.0f}" in out
    assert f"${float(last['starting_arr']):,.0f}" in out
    rate = read_table(db, "fct_reactivation_rate")
    latest = rate[(rate["period_grain"] == "quarter") & (rate["dimension"] == "all")] \
        .sort_values("period_start").iloc[-1]
    assert f"{latest['reactivation_rate']:.1%}" in out


def test_winback_probability_ranks_returns(demo):
    """Back-test: at four past cutoffs, customers the estimator ranks in its top decile
    must reactivate within 90 days clearly more often than those in its bottom decile."""
    _, db = demo
    scored = read_table(db, "int_winback_backtest")
    assert len(scored) >= 400, "too few scored customers for a back-test"
    scored["rank"] = scored.groupby("cutoff_date")["reactivation_probability_90d"] \
        .rank(method="first", pct=True)
    top = scored[scored["rank"] > 0.9]["reactivated_within_90d"].mean()
    bottom = scored[scored["rank"] <= 0.1]["reactivated_within_90d"].mean()
    overall = scored["reactivated_within_90d"].mean()
    print(f"\nwin-back probability back-test over {scored['cutoff_date'].nunique()} cutoffs, "
          f"{len(scored)} scored customers: top decile {top:.1%}, bottom decile "
          f"{bottom:.1%}, overall {overall:.1%}")
    assert top >= bottom + 0.10 and top >= 2 * overall
