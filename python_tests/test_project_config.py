"""The project as a tool sees it before any build: it compiles and documents itself on a
fresh target, and the test builds stop on warnings that hide misconfiguration."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import DBT, ROOT


def _dbt(args, tmp_path, cwd=ROOT, extra_env=None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("DBT_WARN_ERROR_OPTIONS", None)
    env.update({"WINBACK_DUCKDB_PATH": str(tmp_path / "fresh.duckdb"),
                "DBT_TARGET_PATH": str(tmp_path / "target"),
                "DBT_LOG_PATH": str(tmp_path / "logs"), **(extra_env or {})})
    return subprocess.run([str(DBT), *args, "--profiles-dir", str(ROOT), "--vars",
                           json.dumps({"raw_data_dir": str(ROOT / "data" / "demo")})],
                          cwd=cwd, env=env, capture_output=True, text=True)


@pytest.mark.parametrize("command", [["compile"], ["docs", "generate"]])
def test_compiles_on_a_fresh_target(command, tmp_path):
    """`dbt compile` and `dbt docs generate` before any build: no model may query a
    relation that does not exist yet while it compiles."""
    proc = _dbt(command, tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert (tmp_path / "target" / "manifest.json").exists()


def _makefile_warn_error_options() -> str:
    text = (ROOT / "Makefile").read_text()
    match = re.search(r"^WARN_ERROR_OPTIONS := (.+)$", text, re.MULTILINE)
    assert match, "the Makefile sets WARN_ERROR_OPTIONS for the test builds"
    assert re.search(r"^dbt-build test-postgres pytest: export DBT_WARN_ERROR_OPTIONS",
                     text, re.MULTILINE), "the test targets export it"
    return match.group(1)


def test_test_builds_stop_on_an_unused_config_path(tmp_path):
    """The Makefile's warn-error options turn a dbt_project.yml path that applies to
    nothing into an error (dbt only warns by default), and the project has none."""
    options = _makefile_warn_error_options()
    assert "UnusedResourceConfigPath" in json.loads(options)["error"]
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".venv", ".tools", "target", "logs", "data", ".git", "python_tests"))
    ok = _dbt(["parse"], tmp_path / "ok", cwd=project,
              extra_env={"DBT_WARN_ERROR_OPTIONS": options})
    assert ok.returncode == 0, ok.stdout[-3000:]
    config = project / "dbt_project.yml"
    config.write_text(config.read_text().replace("      raw:\n", "      no_such_folder:\n"))
    bad = _dbt(["parse"], tmp_path / "bad", cwd=project,
               extra_env={"DBT_WARN_ERROR_OPTIONS": options})
    assert bad.returncode != 0
    assert "unused configuration paths" in bad.stdout


def test_secret_scanner_flags_a_planted_password_and_passes_the_repository(tmp_path):
    """`make lint` runs detect-secrets over every tracked file: it must pass on the
    repository and fail on a file that holds a password."""
    hook = ROOT / ".venv" / "bin" / "detect-secrets-hook"
    planted = tmp_path / "settings.py"
    planted.write_text('db_password = "Xk8#p2!vQz9mLw3R"\n')  # pragma: allowlist secret
    caught = subprocess.run([str(hook), str(planted)], capture_output=True, text=True)
    assert caught.returncode != 0 and "Secret Keyword" in caught.stdout
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    clean = subprocess.run([str(hook), *tracked], cwd=ROOT, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout[-2000:]


def test_dbt_debug_and_logs_never_print_the_password(tmp_path):
    """Every connection setting is an env var; with a password set, `dbt debug` against
    the Postgres target (no server listening) shows the connection but never the
    password, on screen or in its log file."""
    secret = "Zq7-not-printed-5Wx"  # pragma: allowlist secret
    env = {"WINBACK_TARGET": "postgres", "WINBACK_PG_PASSWORD": secret,
           "WINBACK_PG_PORT": "1", "WINBACK_PG_USER": "winback_reader"}
    proc = _dbt(["debug"], tmp_path, extra_env=env)
    assert "winback_reader" in proc.stdout, proc.stdout[-2000:]
    logs = "".join(p.read_text(errors="replace") for p in (tmp_path / "logs").rglob("*")
                   if p.is_file())
    assert logs, "dbt wrote no log"
    assert secret not in proc.stdout + proc.stderr + logs
