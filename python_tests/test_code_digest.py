"""A new version of winback that changes a macro is seen by the incremental state.

The incremental ARR chain recomputes everyone when its settings fingerprint changes
(test_incremental.py), and that fingerprint holds a digest of each chain model's code
(macro code_digest). The digest must take in the macros a model calls, at any depth:
otherwise an upgrade that changes, say, how the new usage files are found would leave
every customer it does not recompute as the old code computed them. It must not take in
macros the chain never calls, or every change to a mart would recompute everyone.

Each case compiles `int_incremental_fingerprints` in a copy of the project with one
macro's code edited and reads the settings row's key from the compiled SQL.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from conftest import DBT, ROOT

COPIED = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests",
          "analyses")
# Called by int_churn_usage_before only through raw_file_reader_changes.
CHAIN_MACRO = "raw_file_version_diff"
# Called only by the rate marts and the win-back probabilities, through
# reactivation_pool_changes_ctes.
MART_MACRO = "months_since_churn_bucket_months"
ENDMACRO = re.compile(r"\{%-?\s*endmacro\s*-?%\}")
SETTINGS_KEY = re.compile(r"'settings' as fingerprint_kind,\s*'([0-9a-f]{32})' as fingerprint_key")


def _project(edited_macro: str | None) -> Path:
    """A copy of the project, with one macro's code edited (a comment added before its
    end) when edited_macro is given."""
    work = Path(tempfile.mkdtemp(prefix="winback_code_digest_"))
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name)
        else:
            shutil.copy2(source, work / name)
    if edited_macro:
        path = work / "macros" / f"{edited_macro}.sql"
        text, ends = ENDMACRO.subn(r"{#- edited -#}\n\g<0>", path.read_text())
        assert ends == 1, path
        path.write_text(text)
    return work


def _compile(project: Path) -> subprocess.Popen:
    env = dict(os.environ, WINBACK_DUCKDB_PATH=str(project / "compile.duckdb"),
               DBT_TARGET_PATH=str(project / "target"), DBT_LOG_PATH=str(project / "logs"),
               DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    cmd = [str(DBT), "compile", "--select", "int_incremental_fingerprints",
           "--vars", json.dumps({"raw_data_dir": str(ROOT / "data" / "demo")}),
           "--profiles-dir", str(project), "--project-dir", str(project)]
    return subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _settings_key(project: Path, proc: subprocess.Popen) -> str:
    log, _ = proc.communicate()
    assert proc.returncode == 0, log[-3000:]
    compiled, = (project / "target" / "compiled").rglob("int_incremental_fingerprints.sql")
    found = SETTINGS_KEY.findall(compiled.read_text())
    assert len(found) == 1, compiled.read_text()
    return found[0]


def test_a_changed_macro_changes_the_settings_only_when_the_chain_calls_it():
    projects = {case: _project(edited) for case, edited in
                (("as is", None), ("chain macro", CHAIN_MACRO), ("mart macro", MART_MACRO))}
    procs = {case: _compile(project) for case, project in projects.items()}
    keys = {case: _settings_key(projects[case], proc) for case, proc in procs.items()}
    for project in projects.values():
        shutil.rmtree(project, ignore_errors=True)

    assert keys["chain macro"] != keys["as is"], keys
    assert keys["mart macro"] == keys["as is"], keys
