"""Lint the SQL of the project's generic tests (tests/generic/*.sql).

sqlfluff's dbt templater lints models, singular tests and analyses with the SQL that
macros write into them, but skips generic tests, whose files only define `{% test %}`
blocks. This script compiles the project into a scratch target, takes one compiled
instance of each of the project's generic tests and of `unique`, whose DuckDB form is
the project's (dbt's own not_null, accepted_values, ... are dbt's code, not ours),
trims the blank lines dbt leaves around a rendered test, and lints them with the project's .sqlfluff rules (templater raw: they are already SQL).

    python scripts/lint_generic_tests.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"


def main() -> int:
    ours = {p.stem for p in (ROOT / "tests" / "generic").glob("*.sql")}
    # dbt's `unique` takes its SQL from this project's duckdb__test_unique on DuckDB.
    ours.add("unique")
    with tempfile.TemporaryDirectory(prefix="winback_lint_") as tmp:
        target = Path(tmp) / "target"
        env = dict(os.environ, DBT_TARGET_PATH=str(target), DBT_LOG_PATH=str(Path(tmp) / "logs"),
                   WINBACK_DUCKDB_PATH=str(Path(tmp) / "lint.duckdb"))
        subprocess.run([str(BIN / "dbt"), "compile", "--quiet", "--select", "test_type:generic",
                        "--profiles-dir", str(ROOT)], cwd=ROOT, env=env, check=True)
        manifest = json.loads((target / "manifest.json").read_text())
        compiled: dict[str, str] = {}
        for node in manifest["nodes"].values():
            name = (node.get("test_metadata") or {}).get("name")
            if node["resource_type"] == "test" and name in ours and name not in compiled:
                compiled[name] = node["compiled_code"]
        missing = sorted(ours - set(compiled))
        if missing:
            print(f"generic tests used by no model, so not linted: {', '.join(missing)}")
            return 1
        out = Path(tmp) / "generic_tests"
        out.mkdir()
        for name, sql in compiled.items():
            # dbt's own test blocks (`unique`) indent the first line of what they render.
            (out / f"{name}.sql").write_text(sql.strip() + "\n")
        print(f"linting the compiled SQL of {len(compiled)} generic tests")
        return subprocess.run([str(BIN / "sqlfluff"), "lint", "--templater", "raw",
                               "--config", str(ROOT / ".sqlfluff"), str(out)], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
