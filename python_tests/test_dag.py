"""The DAG runs downstream: scripts/check_dag.py on the project's manifest, and on
hand-made manifests that break each rule (so the check can fail)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import DBT, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import check_dag  # noqa: E402


def _model(name, path, parents=()):
    return {"resource_type": "model", "name": name, "original_file_path": path,
            "depends_on": {"nodes": [f"model.winback.{p}" for p in parents]}}


def _key_test(model):
    return {"resource_type": "test", "test_metadata": {"name": "unique"},
            "attached_node": f"model.winback.{model}", "depends_on": {"nodes": []},
            "original_file_path": "models/x.yml", "name": f"unique_{model}"}


def _manifest(*models):
    nodes = {f"model.winback.{m['name']}": m for m in models}
    for m in models:
        nodes[f"test.winback.unique_{m['name']}"] = _key_test(m["name"])
    return {"nodes": nodes}


def test_check_names_an_arrow_back_up_and_a_skipped_layer():
    manifest = _manifest(
        _model("stg_a", "models/staging/raw/stg_a.sql"),
        _model("int_b", "models/intermediate/x/int_b.sql", ["fct_c"]),
        _model("fct_c", "models/marts/x/fct_c.sql", ["stg_a"]),
        _model("dq_d", "models/marts/data_quality/dq_d.sql", ["stg_a"]),
    )
    problems = check_dag.violations(manifest)
    assert problems == [
        "runs back up a layer: int_b (intermediate) reads fct_c (marts)",
        "skips the intermediate layer: fct_c (marts) reads stg_a (staging)",
    ]


def test_check_names_a_model_without_a_key_test():
    manifest = _manifest(_model("int_b", "models/intermediate/x/int_b.sql"))
    del manifest["nodes"]["test.winback.unique_int_b"]
    assert check_dag.violations(manifest) == [
        "has no key test (unique or unique_combination): int_b"]


def test_project_dag_runs_downstream(tmp_path):
    env = dict(os.environ, DBT_TARGET_PATH=str(tmp_path / "target"),
               DBT_LOG_PATH=str(tmp_path / "logs"),
               WINBACK_DUCKDB_PATH=str(tmp_path / "parse.duckdb"))
    proc = subprocess.run([str(DBT), "parse", "--profiles-dir", str(ROOT)], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-2000:]
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert len(models) > 40
    problems = check_dag.violations(manifest)
    assert not problems, "\n".join(problems)
