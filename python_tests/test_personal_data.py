"""No personal data in any mart.

The contract: marts carry no personal data (names, emails). The demo is built and every
text column of every mart, each piece of `raw_values` included, is scanned for the raw
customers' names and emails. Rejected customer rows must still be findable: their key,
their reason and their non-personal values stay.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import run_dbt_build

MART_PREFIXES = ("fct_", "dim_", "dq_")


@pytest.fixture(scope="module")
def demo_build(tmp_path_factory):
    from winback_data.generate import generate

    base = tmp_path_factory.mktemp("pii")
    raw = base / "demo"
    generate(raw, customers=2500, seed=42)
    # A customers row that is rejected (unknown segment) and a ragged line, both with a
    # name and an email: neither value may reach dq_rejected_rows.
    with open(raw / "customers.csv", "a", encoding="utf-8") as f:
        f.write("PII01,Grace Hopper-Canary,grace.canary@pii.example,Galactic,US,2024-01-01\n")
        f.write("PII02,Alan Turing-Canary,alan.canary@pii.example,smb,GB,2024-01-01,extra\n")
    db = base / "demo.duckdb"
    run_dbt_build(raw, db)
    return raw, db


def _personal_values(raw: Path) -> list[str]:
    customers = pd.read_csv(raw / "customers.csv", dtype=str, keep_default_na=False,
                            on_bad_lines="skip")
    values = set(customers["customer_name"]) | set(customers["email"])
    values |= {"Alan Turing-Canary", "alan.canary@pii.example"}
    return sorted(v.strip() for v in values if len(v.strip()) >= 4)


def test_no_mart_holds_a_name_or_an_email(demo_build):
    raw, db = demo_build
    personal = _personal_values(raw)
    assert len(personal) > 4000
    pattern = re.compile("|".join(re.escape(v) for v in sorted(personal, key=len, reverse=True)),
                         re.IGNORECASE)
    con = duckdb.connect(str(db), read_only=True)
    found, scanned = [], 0
    try:
        columns = con.execute(
            "select table_name, column_name from information_schema.columns"
            " where table_schema = 'main' and data_type = 'VARCHAR'").fetchall()
        for table, column in columns:
            if not table.startswith(MART_PREFIXES):
                continue
            for (value,) in con.execute(
                    f'select distinct "{column}" from main."{table}"'
                    f' where "{column}" is not null').fetchall():
                scanned += 1
                pieces = [value] + re.split(r"[;=:]\s*", value)
                for piece in pieces:
                    hit = pattern.search(piece)
                    if hit:
                        found.append(f"{table}.{column}: {hit.group(0)!r} in {value[:120]!r}")
                        break
    finally:
        con.close()
    assert scanned > 1000, "too little text scanned to prove anything"
    assert not found, "personal data in marts:\n" + "\n".join(found[:20])


def test_rejected_customers_keep_their_key_and_reason(demo_build):
    _, db = demo_build
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select source_key, reason, raw_values from main.dq_rejected_rows"
            " where source_table = 'customers'").fetchall()
    finally:
        con.close()
    by_key = {key: (reason, values) for key, reason, values in rows}
    reason, values = by_key["PII01"]
    assert reason == "unknown_segment"
    assert "customer_id=PII01" in values and "segment=Galactic" in values
    assert "customer_name=(withheld)" in values and "email=(withheld)" in values
    ragged = [v for r, v in by_key.values() if r == "malformed_csv_line"]
    assert ragged and all("withheld" in v for v in ragged)
