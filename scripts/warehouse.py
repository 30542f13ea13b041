"""Run the winback dbt project on a real warehouse, from a folder of raw files.

    python scripts/warehouse.py postgres [--raw-dir data/demo] [--export DIR] [-- dbt args]
    python scripts/warehouse.py spark    [--raw-dir data/demo] [--export DIR] [-- dbt args]

Steps:
1. Read every raw file of the contract (`<table>.csv` or `<table>.parquet` in --raw-dir)
   the way the DuckDB hook `register_raw_tables` does: every column as text, a missing
   optional column as empty, CSV lines that are not rows kept aside as malformed lines.
2. postgres: start a throwaway PostgreSQL server (Debian's binaries, installed with
   apt-get if missing; run as the unprivileged `postgres` user when this runs as root;
   127.0.0.1 only, on a free port, data and socket under a temp dir; stopped and
   removed on exit), or with --server-from-env use the server named by the
   WINBACK_PG_* variables of profiles.yml. Load the raw tables with COPY.
   spark: start a local SparkSession (the profile's settings, metastore and tables
   under a temp dir) and save the raw tables into it.
   Either way the tables land in the schema --raw-schema (default `raw`), every column
   text, plus `winback_malformed_lines`.
3. Run dbt (default `build`) with the engine's target: a subprocess for Postgres, in
   this process for Spark (so that the SparkSession is shared).
4. With --export DIR, write every model outside staging as DIR/<model>.parquet; with
   --export-duckdb FILE, also gather them into a DuckDB file (scripts/summary.py reads
   it). The throwaway Postgres server also has a login role `winback_bi`, which dbt
   grants the marts (WINBACK_BI_ROLE); --bi-access-report FILE writes which relations
   that role can read.

Exits with dbt's exit code.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_USER = "winback"
PG_DATABASE = "winback"
BI_ROLE = "winback_bi"


def log(message: str) -> None:
    print(f"[warehouse] {message}", flush=True)


class ContractError(Exception):
    """The raw folder breaks the raw input contract."""


# --------------------------------------------------------------------------- raw files

def raw_contract() -> dict[str, dict[str, bool]]:
    """The contract of macros/raw_contract.sql: table -> {column: must exist}."""
    text = (ROOT / "macros" / "raw_contract.sql").read_text()
    start = text.index("return(") + len("return(")
    body = text[start:text.rindex(") }}")]
    body = re.sub(r"\btrue\b", "True", re.sub(r"\bfalse\b", "False", body))
    return ast.literal_eval(body.strip())


def raw_table_files(raw_dir: Path, table: str) -> tuple[str, list[Path]]:
    """The files of one raw table, as the DuckDB hook finds them: `<table>.<ext>`,
    `<table>_*.<ext>` and `<table>/*.<ext>`, all CSV or all Parquet. Returns (format,
    files in name order)."""
    found = {ext: sorted({p for pattern in (f"{table}.{ext}", f"{table}_*.{ext}", f"{table}/*.{ext}")
                          for p in raw_dir.glob(pattern) if p.is_file()})
             for ext in ("csv", "parquet")}
    if not found["csv"] and not found["parquet"]:
        raise ContractError(
            f"winback raw contract: no file {table}.csv or {table}.parquet in raw_data_dir"
            f" '{raw_dir}'. Every table of the contract must exist; an optional one may"
            " hold only its header row.")
    if found["csv"] and found["parquet"]:
        raise ContractError(
            f"winback raw contract: {table} is given both as CSV"
            f" ({', '.join(map(str, found['csv']))}) and as Parquet"
            f" ({', '.join(map(str, found['parquet']))}). Keep one format per table.")
    fmt = "csv" if found["csv"] else "parquet"
    return fmt, found[fmt]


def read_raw_folder(raw_dir: Path, out_dir: Path, fmt: str) -> tuple[dict, list[tuple]]:
    """Writes every raw table of the contract to out_dir/<table>.<fmt> (csv without a
    header, or parquet), each contract column as text, read exactly as the DuckDB hook
    reads it. Returns ({table: [columns]}, malformed lines as
    (table_name, line, error_message, csv_line, file_name)); file_name is set when the
    table has more than one file."""
    import duckdb

    con = duckdb.connect()
    tables: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    malformed: list[tuple] = []
    raw_dir = Path(raw_dir)
    for table, columns in raw_contract().items():
        file_format, files = raw_table_files(raw_dir, table)
        con.execute("drop table if exists raw_table")
        for found in files:
            path = str(found).replace("'", "''")
            if file_format == "csv":
                reader = (f"read_csv('{path}', header = true, all_varchar = true, delim = ',',"
                          " quote = '\"', escape = '\"', store_rejects = true,"
                          " rejects_table = 'winback_rejects', rejects_scan = 'winback_reject_scans')")
            else:
                reader = f"read_parquet('{path}')"
            present = {row[0].lower(): row[0] for row in con.execute(f"describe select * from {reader}").fetchall()}
            select = []
            for column, must_exist in columns.items():
                if column in present:
                    select.append(f'cast("{present[column]}" as varchar) as {column}')
                elif must_exist:
                    raise ContractError(
                        f"winback raw contract: file {found} has no column '{column}'"
                        f" (columns found: {', '.join(sorted(present))}).")
                else:
                    log(f"raw contract: {found} has no column '{column}'; it is read as empty.")
                    select.append(f"cast(null as varchar) as {column}")
            con.execute("drop table if exists winback_rejects")
            con.execute("drop table if exists winback_reject_scans")
            into = ("insert into raw_table" if found != files[0]
                    else "create table raw_table as")
            con.execute(f"{into} select {', '.join(select)} from {reader}")
            if file_format == "csv":
                file_name = str(found.relative_to(raw_dir)) if len(files) > 1 else None
                malformed += [(table, *row, file_name) for row in con.execute(
                    "select line, min(error_message), min(csv_line) from winback_rejects"
                    " group by line order by line").fetchall()]
        counts[table] = con.execute("select count(*) from raw_table").fetchone()[0]
        target = str(out_dir / f"{table}.{fmt}").replace("'", "''")
        if fmt == "csv":
            con.execute(f"copy raw_table to '{target}' (format csv, header false)")
        else:
            con.execute(f"copy raw_table to '{target}' (format parquet)")
        tables[table] = list(columns)
    con.close()
    log(f"read {raw_dir}: " + ", ".join(f"{t} {n} rows" for t, n in counts.items())
        + (f"; {len(malformed)} malformed lines" if malformed else ""))
    return tables, malformed


# --------------------------------------------------------------------------- postgres

def _pg_bin_dir() -> Path:
    """Debian's PostgreSQL binaries, installed with apt-get when missing (as root)."""
    def found() -> Path | None:
        dirs = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
        preferred = Path("/usr/lib/postgresql/15/bin/initdb")
        if preferred.exists():
            return preferred.parent
        return dirs[-1].parent if dirs else None

    bin_dir = found()
    if bin_dir is None:
        if os.geteuid() != 0:
            sys.exit("PostgreSQL server binaries not found under /usr/lib/postgresql; install"
                     " them (apt-get install postgresql-15) or run as root.")
        log("PostgreSQL binaries missing: apt-get install postgresql-15")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                        "postgresql-15"], check=True, env=env)
        bin_dir = found()
        if bin_dir is None:
            sys.exit("apt-get installed no PostgreSQL server binaries")
    return bin_dir


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def throwaway_postgres():
    """A PostgreSQL server for this run only; yields the WINBACK_PG_* settings."""
    bin_dir = _pg_bin_dir()
    base = Path(tempfile.mkdtemp(prefix="winback_pg_"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the server as `postgres`
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
            account = pwd.getpwnam("postgres")
        os.chown(base, account.pw_uid, account.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, sock, logfile = base / "data", base / "socket", base / "server.log"
    password = secrets.token_urlsafe(18)
    pwfile = base / "pwfile"
    pwfile.write_text(password + "\n")
    sock.mkdir()
    if as_user:
        for p in (pwfile, sock):
            os.chown(p, pwd.getpwnam("postgres").pw_uid, pwd.getpwnam("postgres").pw_gid)
    started = False
    try:
        t0 = time.time()
        subprocess.run(as_user + [str(bin_dir / "initdb"), "-D", str(data), "-U", PG_USER,
                                  f"--pwfile={pwfile}", "--auth=scram-sha-256", "-E", "UTF8",
                                  # C collation: text sorts byte-wise, as on DuckDB and Spark
                                  "--locale=C", "--no-sync"],
                       check=True, stdout=subprocess.DEVNULL, cwd=base)
        for attempt in range(5):
            port = _free_port()
            options = " ".join([
                "-c listen_addresses=127.0.0.1", f"-p {port}", f"-k {sock}",
                # a throwaway server: no durability, memory for the sorts of a build
                "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
                "-c shared_buffers=256MB", "-c work_mem=64MB", "-c maintenance_work_mem=256MB",
                "-c max_wal_size=4GB", "-c jit=off",
            ])
            proc = subprocess.run(as_user + [str(bin_dir / "pg_ctl"), "-D", str(data), "-l",
                                             str(logfile), "-w", "-t", "60", "-o", options, "start"],
                                  stdout=subprocess.DEVNULL, cwd=base)
            if proc.returncode == 0:
                started = True
                break
            log(f"server did not start on port {port} (attempt {attempt + 1}); retrying")
        if not started:
            sys.stderr.write(logfile.read_text() if logfile.exists() else "")
            raise RuntimeError("PostgreSQL did not start")
        log(f"PostgreSQL {bin_dir.parent.name} on 127.0.0.1:{port} ({time.time() - t0:.1f}s)")
        settings = {"WINBACK_PG_HOST": "127.0.0.1", "WINBACK_PG_PORT": str(port),
                    "WINBACK_PG_USER": PG_USER, "WINBACK_PG_PASSWORD": password,
                    "WINBACK_PG_DATABASE": PG_DATABASE}
        import psycopg2

        con = psycopg2.connect(host="127.0.0.1", port=port, user=PG_USER, password=password,
                               dbname="postgres")
        con.autocommit = True
        con.cursor().execute(f"create database {PG_DATABASE}")
        # the read-only role BI tools use: dbt grants it the marts (WINBACK_BI_ROLE)
        bi_password = secrets.token_urlsafe(18)
        con.cursor().execute(f"create role {BI_ROLE} login password %s", (bi_password,))
        con.close()
        settings.update({"WINBACK_BI_ROLE": BI_ROLE, "WINBACK_BI_PASSWORD": bi_password})
        yield settings
    finally:
        if started:
            subprocess.run(as_user + [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                      "-w", "stop"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, cwd=base)
            log("PostgreSQL stopped")
        shutil.rmtree(base, ignore_errors=True)


def _pg_connect(settings: dict):
    import psycopg2

    return psycopg2.connect(host=settings["WINBACK_PG_HOST"], port=int(settings["WINBACK_PG_PORT"]),
                            user=settings["WINBACK_PG_USER"], password=settings["WINBACK_PG_PASSWORD"],
                            dbname=settings["WINBACK_PG_DATABASE"])


def load_postgres(settings: dict, raw_dir: Path, raw_schema: str) -> None:
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="winback_raw_") as tmp:
        tables, malformed = read_raw_folder(raw_dir, Path(tmp), "csv")
        con = _pg_connect(settings)
        cur = con.cursor()
        cur.execute(f'create schema if not exists "{raw_schema}"')
        for table, columns in tables.items():
            cur.execute(f'drop table if exists "{raw_schema}"."{table}" cascade')
            cur.execute(f'create table "{raw_schema}"."{table}" ('
                        + ", ".join(f'"{c}" text' for c in columns) + ")")
            with open(Path(tmp) / f"{table}.csv", "rb") as f:
                cur.copy_expert(f'copy "{raw_schema}"."{table}" from stdin with (format csv)', f)
        cur.execute(f'drop table if exists "{raw_schema}".winback_malformed_lines')
        cur.execute(f'create table "{raw_schema}".winback_malformed_lines ('
                    "table_name text, line_number bigint, error_message text, csv_line text,"
                    " file_name text)")
        if malformed:
            cur.executemany(f'insert into "{raw_schema}".winback_malformed_lines values (%s, %s, %s, %s, %s)',
                            malformed)
        con.commit()
        con.autocommit = True
        for table in tables:
            cur.execute(f'analyze "{raw_schema}"."{table}"')
        con.close()
    log(f"loaded the raw tables into Postgres schema {raw_schema} with COPY in {time.time() - t0:.1f}s")


def export_postgres(settings: dict, relations: list[tuple[str, str, str]], out_dir: Path) -> None:
    import pandas as pd

    con = _pg_connect(settings)
    cur = con.cursor()
    for name, schema, identifier in relations:
        cur.execute(f'select * from "{schema}"."{identifier}"')
        frame = pd.DataFrame.from_records(cur.fetchall(), columns=[d.name for d in cur.description])
        _write_parquet(frame, out_dir / f"{name}.parquet")
    con.close()


# --------------------------------------------------------------------------- spark

def _render_profile_output(name: str) -> dict:
    """The profiles.yml output `name`, with its env_var() calls rendered."""
    import jinja2
    import yaml

    def env_var(key, default=None):
        if key in os.environ:
            return os.environ[key]
        if default is None:
            raise KeyError(f"env var {key} is not set")
        return default

    env = jinja2.Environment()
    env.filters["as_number"] = lambda v: v

    def render(value):
        if isinstance(value, dict):
            return {k: render(v) for k, v in value.items()}
        if isinstance(value, str):
            return env.from_string(value).render(env_var=env_var)
        return value

    return render(yaml.safe_load((ROOT / "profiles.yml").read_text())["winback"]["outputs"][name])


def spark_session():
    """The SparkSession dbt-spark's `session` method will reuse: same settings."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in _render_profile_output("spark").get("server_side_parameters", {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def load_spark(spark, raw_dir: Path, raw_schema: str) -> None:
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="winback_raw_") as tmp:
        tables, malformed = read_raw_folder(raw_dir, Path(tmp), "parquet")
        spark.sql(f"create database if not exists `{raw_schema}`")
        for table in tables:
            spark.sql(f"drop table if exists `{raw_schema}`.`{table}`")
            frame = spark.read.parquet(str(Path(tmp) / f"{table}.parquet"))
            frame.write.format("parquet").saveAsTable(f"`{raw_schema}`.`{table}`")
        spark.sql(f"drop table if exists `{raw_schema}`.winback_malformed_lines")
        schema = ("table_name string, line_number bigint, error_message string, csv_line string,"
                  " file_name string")
        spark.createDataFrame(malformed, schema).write.format("parquet").saveAsTable(
            f"`{raw_schema}`.winback_malformed_lines")
    log(f"loaded the raw tables into Spark database {raw_schema} in {time.time() - t0:.1f}s")


def export_spark(spark, relations: list[tuple[str, str, str]], out_dir: Path) -> None:
    for name, schema, identifier in relations:
        frame = spark.table(f"`{schema}`.`{identifier}`").toPandas()
        _write_parquet(frame, out_dir / f"{name}.parquet")


# --------------------------------------------------------------------------- exports

def _write_parquet(frame, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)


def built_relations(target_path: Path) -> list[tuple[str, str, str]]:
    """(model name, schema, identifier) of every model outside staging that the last
    run built as a table or view, from its manifest and run results."""
    manifest = json.loads((target_path / "manifest.json").read_text())
    results = json.loads((target_path / "run_results.json").read_text())
    done = {r["unique_id"] for r in results["results"] if r["status"] in ("success", "pass")}
    relations = []
    for uid, node in manifest["nodes"].items():
        if (node["resource_type"] == "model" and uid in done
                and not node["original_file_path"].startswith("models/staging/")
                and node["config"].get("materialized") in ("table", "view", "incremental")):
            relations.append((node["name"], node["schema"], node.get("alias") or node["name"]))
    return sorted(relations)


def export_to_duckdb(export_dir: Path, db_path: Path) -> None:
    import duckdb

    db_path.parent.mkdir(parents=True, exist_ok=True)
    if db_path.exists():
        db_path.unlink()
    con = duckdb.connect(str(db_path))
    for path in sorted(export_dir.glob("*.parquet")):
        con.execute(f"create table main.\"{path.stem}\" as select * from read_parquet('{path}')")
    con.close()
    log(f"wrote {db_path}")


# --------------------------------------------------------------------------- main

def main(argv: list[str]) -> int:
    if "--" in argv:
        split = argv.index("--")
        argv, dbt_args = argv[:split], argv[split + 1:]
    else:
        dbt_args = []
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("engine", choices=["postgres", "spark"])
    parser.add_argument("--raw-dir", default=str(ROOT / "data" / "demo"), type=Path)
    parser.add_argument("--raw-schema", default="raw",
                        help="schema for the raw tables (the dbt var raw_schema)")
    parser.add_argument("--export", type=Path, help="write the built marts here as parquet")
    parser.add_argument("--export-duckdb", type=Path,
                        help="also gather the exported models into this DuckDB file")
    parser.add_argument("--skip-load", action="store_true",
                        help="do not load the raw files (for dbt commands that read no source)")
    parser.add_argument("--bi-access-report", type=Path,
                        help="postgres: after the build, try to read every relation as the"
                             " read-only BI role and write what it could read here (JSON)")
    parser.add_argument("--first-build-vars", type=json.loads, metavar="JSON",
                        help="run `dbt build` with these vars (models only) before the dbt"
                             " command, so that the command's build is an incremental run on"
                             " top of it")
    parser.add_argument("--server-from-env", action="store_true",
                        help="postgres: use the server of the WINBACK_PG_* variables instead of"
                             " a throwaway one (its raw tables are replaced)")
    args = parser.parse_args(argv)
    dbt_args = dbt_args or ["build"]
    if args.raw_schema != "raw":
        dbt_args += ["--vars", json.dumps({"raw_schema": args.raw_schema})]
    if args.export_duckdb and not args.export:
        args.export = Path(tempfile.mkdtemp(prefix="winback_export_"))
    if args.export:
        args.export.mkdir(parents=True, exist_ok=True)

    # An interrupted run still stops its server (the finally blocks run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    env = dict(os.environ)
    env.setdefault("DBT_TARGET_PATH", str(ROOT / "target" / args.engine))
    env.setdefault("DBT_PROFILES_DIR", str(ROOT))
    env["WINBACK_TARGET"] = args.engine
    target_path = Path(env["DBT_TARGET_PATH"])
    if not target_path.is_absolute():
        target_path = ROOT / target_path
    t_all = time.time()
    try:
        if args.engine == "postgres":
            rc = run_postgres(args, dbt_args, env, target_path)
        else:
            rc = run_spark(args, dbt_args, env, target_path)
    except ContractError as exc:
        print(exc, file=sys.stderr)
        return 1
    if rc == 0 and args.export_duckdb:
        export_to_duckdb(args.export, args.export_duckdb)
    log(f"{args.engine}: dbt {_short(dbt_args)} exited {rc}; {time.time() - t_all:.0f}s in all")
    return rc


def _short(dbt_args: list[str]) -> str:
    text = " ".join(dbt_args)
    return text if len(text) <= 100 else text[:97] + "..."


def run_postgres(args, dbt_args, env, target_path) -> int:
    dbt = Path(sys.executable).parent / "dbt"
    with (_env_server(env) if args.server_from_env else throwaway_postgres()) as settings:
        env.update({k: v for k, v in settings.items() if k != "WINBACK_BI_PASSWORD"})
        env.setdefault("WINBACK_PG_SCHEMA", "winback")
        if not args.skip_load:
            load_postgres(settings, args.raw_dir, args.raw_schema)
        rc = 0
        if args.first_build_vars is not None:
            first = ["build", "--exclude", "resource_type:test", "resource_type:unit_test",
                     "--vars", json.dumps(args.first_build_vars)]
            rc = subprocess.run([str(dbt), *first], cwd=ROOT, env=env).returncode
            log(f"postgres: first build with vars {json.dumps(args.first_build_vars)} exited {rc}")
        t0 = time.time()
        if rc == 0:
            rc = subprocess.run([str(dbt), *dbt_args], cwd=ROOT, env=env).returncode
        log(f"postgres: dbt {_short(dbt_args)} took {time.time() - t0:.0f}s")
        if rc == 0 and args.export:
            export_postgres(settings, built_relations(target_path), args.export)
        if rc == 0 and args.bi_access_report:
            report_bi_access(settings, target_path, args.raw_schema, args.bi_access_report)
    return rc


def report_bi_access(settings: dict, target_path: Path, raw_schema: str, out: Path) -> None:
    """Connect as the BI role and try to read every relation the project has in the
    database (raw tables, seeds, staging, intermediate models and marts); write
    {relation: {"layer": ..., "readable": bool, "error": ...}} as JSON to out."""
    import psycopg2

    if not settings.get("WINBACK_BI_ROLE"):
        raise RuntimeError("--bi-access-report needs the throwaway server's BI role")
    manifest = json.loads((target_path / "manifest.json").read_text())
    relations = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] in ("model", "seed"):
            layer = ("seed" if node["resource_type"] == "seed"
                     else node["original_file_path"].split("/")[1])
            relations[f'"{node["schema"]}"."{node.get("alias") or node["name"]}"'] = layer
    admin = _pg_connect(settings)
    cur = admin.cursor()
    cur.execute("select table_name from information_schema.tables where table_schema = %s",
                (raw_schema,))
    relations.update({f'"{raw_schema}"."{name}"': "raw" for (name,) in cur.fetchall()})
    admin.close()
    con = psycopg2.connect(host=settings["WINBACK_PG_HOST"], port=int(settings["WINBACK_PG_PORT"]),
                           user=settings["WINBACK_BI_ROLE"],
                           password=settings["WINBACK_BI_PASSWORD"],
                           dbname=settings["WINBACK_PG_DATABASE"])
    con.autocommit = True
    seen = {}
    for relation, layer in sorted(relations.items()):
        try:
            con.cursor().execute(f"select * from {relation} limit 1")
            seen[relation] = {"layer": layer, "readable": True, "error": None}
        except psycopg2.Error as exc:
            seen[relation] = {"layer": layer, "readable": False,
                              "error": str(exc).splitlines()[0]}
    con.close()
    out.write_text(json.dumps(seen, indent=1))
    log(f"postgres: {sum(v['readable'] for v in seen.values())} of {len(seen)} relations "
        f"readable by {settings['WINBACK_BI_ROLE']}; written to {out}")


@contextmanager
def _env_server(env):
    yield {key: env.get(key, default) for key, default in [
        ("WINBACK_PG_HOST", "127.0.0.1"), ("WINBACK_PG_PORT", "5432"),
        ("WINBACK_PG_USER", PG_USER), ("WINBACK_PG_PASSWORD", ""),
        ("WINBACK_PG_DATABASE", PG_DATABASE)]}


def run_spark(args, dbt_args, env, target_path) -> int:
    # The metastore and tables: a temp dir removed afterwards, unless WINBACK_SPARK_DIR
    # names one to keep (then later runs of dbt --target spark can read it).
    spark_dir = None
    if "WINBACK_SPARK_DIR" not in env:
        spark_dir = Path(tempfile.mkdtemp(prefix="winback_spark_"))
        env["WINBACK_SPARK_DIR"] = str(spark_dir)
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.update(env)  # dbt and the SparkSession run in this process
    import logging

    # pyspark logs every failed statement with its whole Java stack; dbt reports it anyway
    logging.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)
    spark = None
    try:
        t0 = time.time()
        spark = spark_session()
        spark.sparkContext.setLogLevel("ERROR")
        log(f"SparkSession {spark.version} up in {time.time() - t0:.1f}s")
        if not args.skip_load:
            load_spark(spark, args.raw_dir, args.raw_schema)
        from dbt.cli.main import dbtRunner

        t0 = time.time()
        result = dbtRunner().invoke(dbt_args)
        rc = 0 if result.success else (2 if result.exception else 1)
        log(f"spark: dbt {_short(dbt_args)} took {time.time() - t0:.0f}s")
        if rc == 0 and args.export:
            export_spark(spark, built_relations(target_path), args.export)
        return rc
    finally:
        if spark is not None:
            spark.stop()
        if spark_dir is not None:
            shutil.rmtree(spark_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
