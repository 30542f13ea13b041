"""winback's own benchmark: the project's scale generator (`winback_data.scale`: every
raw table, usage and campaigns included, from whole arrays) at several sizes, then the revenue
path (`+fct_arr_waterfall`) and every model (no tests) built on each, and a daily run
after 1% more events, printing rows, wall seconds, peak RSS and the slowest models.

Events and usage are delivered as a pipeline would: the builds read the folder forms
`subscription_events/part-000.parquet` and `product_usage/part-000.parquet`, which hold
all but 1% of the rows (the newest 0.9% by ingested_at or activity_date and a random
0.1%, so some arrive late); the daily run adds `part-001.parquet` to each with those
rows and copies of 0.1% of the rows delivered before, and builds every model again on
top of the previous build (incremental).

    python scripts/bench.py [--sizes 100000,300000,1000000] [--seed 1] [--out target/bench]

`make bench` runs it (not part of `make test`). Peak RSS is the dbt process's own,
measured by /usr/bin/time; the data is Parquet, as a pipeline at that size would write.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
DBT = ROOT / ".venv" / "bin" / "dbt"
NO_TESTS = ["--exclude", "resource_type:test", "resource_type:unit_test"]
RUNS = {"revenue path": ["--select", "+fct_arr_waterfall", *NO_TESTS],
        "every model": NO_TESTS,
        "+1% events and usage, incremental": NO_TESTS}


def timed(cmd: list[str], env: dict, rss_file: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB and return code of one command."""
    if Path("/usr/bin/time").exists():
        cmd = ["/usr/bin/time", "-f", "%M", "-o", str(rss_file)] + cmd
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-2000:])
    rss = float(rss_file.read_text().split()[-1]) / 1024 if rss_file.exists() else float("nan")
    return wall, rss, proc.returncode


def slowest_models(target: Path, n: int = 5) -> str:
    results = json.loads((target / "run_results.json").read_text())["results"]
    top = sorted(results, key=lambda r: -r["execution_time"])[:n]
    return ", ".join(f"{r['unique_id'].split('.')[-1]} {r['execution_time']:.1f}s" for r in top)


def raw_rows(raw: Path) -> dict[str, int]:
    con = duckdb.connect()
    try:
        rows = {p.stem: con.execute(f"select count(*) from '{p}'").fetchall()[0][0]
                for p in sorted(raw.glob("*.parquet"))}
        rows.update({p.name: con.execute(f"select count(*) from '{p}/*.parquet'").fetchall()[0][0]
                     for p in sorted(raw.iterdir()) if p.is_dir()})
        return rows
    finally:
        con.close()


# Per table delivered in parts: the order rows arrive in, and a row's key.
DELIVERED = {"subscription_events": ("ingested_at", "event_id"),
             "product_usage": ("activity_date", "customer_id || '|' || activity_date")}


def hold_back_one_percent(raw: Path) -> dict[Path, Path]:
    """Turns raw/<table>.parquet of the tables in DELIVERED into the folder form with all
    but 1% of the rows in part-000.parquet; returns the files of the next delivery (not
    yet in place) and where each goes: the rows held back (the newest 0.9% and a random
    0.1%) and copies of 0.1% of those delivered."""
    moves = {}
    con = duckdb.connect()
    try:
        for table, (arrival, key) in DELIVERED.items():
            source, folder = raw / f"{table}.parquet", raw / table
            later = raw.parent / f"{raw.name}_{table}_part-001.parquet"
            folder.mkdir(exist_ok=True)
            con.execute(f"""
                create or replace table delivered as
                select
                    *,
                    row_number() over (order by {arrival} desc nulls last)
                        <= 0.009 * count(*) over ()
                    or hash({key}) % 1000 = 0 as is_later,
                    hash({key}) % 1000 = 1 as is_copied
                from read_parquet('{source}')""")
            con.execute(f"copy (select * exclude (is_later, is_copied) from delivered"
                        f" where not is_later) to '{folder / 'part-000.parquet'}' (format parquet)")
            con.execute(f"copy (select * exclude (is_later, is_copied) from delivered"
                        f" where is_later or is_copied) to '{later}' (format parquet)")
            source.unlink()
            moves[later] = folder / "part-001.parquet"
    finally:
        con.close()
    return moves


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,300000,1000000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "target" / "bench")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    lines = ["| customers | events | usage rows | step | wall s | peak RSS MiB | slowest models |",
             "|---|---|---|---|---|---|---|"]
    failed = 0
    for size in [int(s) for s in args.sizes.split(",")]:
        raw = args.out / f"raw_{size}"
        shutil.rmtree(raw, ignore_errors=True)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "winback_data.scale", "--out", str(raw),
                        "--customers", str(size), "--seed", str(args.seed),
                        "--format", "parquet"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        gen_s = time.perf_counter() - t0
        later = hold_back_one_percent(raw)
        rows = raw_rows(raw)
        events, usage = rows.get("subscription_events", 0), rows.get("product_usage", 0)
        lines.append(f"| {size:,} | {events:,} | {usage:,} | generate the raw files | "
                     f"{gen_s:.1f} | | |")
        for step, dbt_args in RUNS.items():
            db = args.out / f"bench_{size}.duckdb"
            if "incremental" in step:  # the next delivery, on top of the last build
                for held_back, destination in later.items():
                    shutil.move(held_back, destination)
                rows = raw_rows(raw)
                events, usage = rows["subscription_events"], rows["product_usage"]
            else:
                for leftover in (db, Path(str(db) + ".wal")):
                    leftover.unlink(missing_ok=True)
            target = args.out / f"target_{size}"
            env = dict(os.environ, WINBACK_DUCKDB_PATH=str(db), DBT_TARGET_PATH=str(target),
                       DBT_LOG_PATH=str(args.out / "logs"), DBT_PROFILES_DIR=str(ROOT))
            cmd = [str(DBT), "build", "--vars", json.dumps({"raw_data_dir": str(raw)}),
                   *dbt_args]
            wall, rss, rc = timed(cmd, env, args.out / "rss.txt")
            failed += rc != 0
            lines.append(f"| {size:,} | {events:,} | {usage:,} | {step} | {wall:.1f} | "
                         f"{rss:,.0f} | {slowest_models(target) if rc == 0 else 'FAILED'} |")
            print(lines[-1], flush=True)
    print("\n".join(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
