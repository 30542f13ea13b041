"""The DAG runs downstream: scripts/check_dag.py on the project's manifest, and on
hand-made manifests that break each rule (so the check can fail)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import DBT, ROOT

# The checker is a script users run from scripts/, not a package: it can only be
# imported once that folder is on the path, hence the import after this line.
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


def _tested_on(model, other):
    model["config"] = {"meta": {"key_tested_on": other}}
    return model


def test_check_takes_a_key_tested_on_a_model_read_next_to_it():
    """A model may name the model its key is tested on, if one reads the other directly
    and that one has a key test; a name without those is a problem."""
    manifest = _manifest(
        _model("stg_a", "models/staging/raw/stg_a.sql"),
        _tested_on(_model("int_b", "models/intermediate/x/int_b.sql", ["stg_a"]), "stg_a"),
        _tested_on(_model("int_c", "models/intermediate/x/int_c.sql", ["int_b"]), "fct_d"),
        _model("fct_d", "models/marts/x/fct_d.sql", ["int_c"]),
        _tested_on(_model("int_e", "models/intermediate/x/int_e.sql", ["stg_a"]), "fct_d"),
        _tested_on(_model("int_f", "models/intermediate/x/int_f.sql", ["stg_a"]), "int_g"),
        _model("int_g", "models/intermediate/x/int_g.sql", ["int_f"]),
    )
    for name in ("int_b", "int_c", "int_e", "int_f"):
        del manifest["nodes"][f"test.winback.unique_{name}"]
    del manifest["nodes"]["test.winback.unique_int_g"]
    assert check_dag.violations(manifest) == [
        "has no key test (unique or unique_combination): int_g",
        "key_tested_on names a model it is not read by or from: int_e -> fct_d",
        "key_tested_on names a model without a key test: int_f -> int_g",
    ]


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


MACRO_RE = r"\{%-?\s*macro\s+(\w+)\((.*?)\)\s*-?%\}"
ENGINES = ("default", "duckdb", "postgres", "spark")


def _macros_in_files():
    import re

    found = {}
    for path in sorted((ROOT / "macros").glob("*.sql")):
        for name, args in re.findall(MACRO_RE, path.read_text(), re.S):
            names = [a.split("=")[0].strip() for a in re.split(r",(?![^\[\(]*[\]\)])", args)
                     if a.strip()]
            found[name] = (path.stem, names)
    return found


def test_one_macro_a_file_with_its_engine_forms():
    """Each file holds one macro named after it, and its engine forms <engine>__<name>
    (or only engine forms of a dbt macro it overrides)."""
    wrong = [f"{name} in {stem}.sql" for name, (stem, _) in _macros_in_files().items()
             if name != stem and not (name.split("__")[0] in ENGINES
                                      and name.split("__", 1)[1] == stem)]
    assert not wrong, "macros not in a file of their own: " + ", ".join(wrong)


def test_every_macro_and_argument_is_documented():
    import yaml

    documented = {m["name"]: m for m in
                  yaml.safe_load((ROOT / "macros" / "_macros.yml").read_text())["macros"]}
    problems = []
    for name, (_, args) in _macros_in_files().items():
        doc = documented.get(name)
        if doc is None or not doc.get("description", "").strip():
            problems.append(f"{name}: not described in macros/_macros.yml")
            continue
        names = [a["name"] for a in doc.get("arguments", []) if a.get("description")]
        if names != args:
            problems.append(f"{name}: arguments {args} documented as {names}")
    assert len(documented) > 50
    assert not problems, "\n".join(problems)
