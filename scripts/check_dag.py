"""Check that every arrow of the dbt DAG runs downstream, from dbt's manifest.

Layers: staging (models/staging) reads only sources, seeds and staging; intermediate
(models/intermediate) reads only staging, intermediate and seeds; marts (models/marts)
read intermediate models, seeds and other marts. The data-quality marts
(models/marts/data_quality) are about raw rows, so they may read the staging models that
parse them. Also: every intermediate model and every mart has a key test (unique or
unique_combination), unless its YAML says why its grain has none (meta `keyless`) or
names the model its key is tested on (meta `key_tested_on`): a model it reads, or that
reads it, directly, whose rows include its own, with a key test of its own.

    python scripts/check_dag.py target/manifest.json

prints one line per model and exits 1 naming every arrow that runs back up a layer or
skips one, and every model without a key test.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

LAYERS = {"staging": 0, "intermediate": 1, "marts": 2}
KEY_TESTS = {"unique", "unique_combination"}
# A mart may read staging only where its subject is the raw rows themselves.
MARTS_READING_STAGING = ("marts/data_quality/",)


def layer_of(node: dict) -> str:
    path = node["original_file_path"].replace("\\", "/")
    parts = path.split("/")
    if parts[0] != "models" or parts[1] not in LAYERS:
        raise ValueError(f"{node['name']} is in no layer: {path}")
    return parts[1]


def violations(manifest: dict) -> list[str]:
    nodes = manifest["nodes"]
    models = {k: v for k, v in nodes.items() if v["resource_type"] == "model"}
    problems = []
    for node in models.values():
        child = layer_of(node)
        for parent_id in node["depends_on"]["nodes"]:
            parent = nodes.get(parent_id)
            if parent is None or parent["resource_type"] != "model":
                continue  # sources and seeds may be read from any layer
            up = layer_of(parent)
            arrow = f"{node['name']} ({child}) reads {parent['name']} ({up})"
            if LAYERS[up] > LAYERS[child]:
                problems.append(f"runs back up a layer: {arrow}")
            elif child == "marts" and up == "staging" and not node[
                    "original_file_path"].startswith(tuple("models/" + p
                                                           for p in MARTS_READING_STAGING)):
                problems.append(f"skips the intermediate layer: {arrow}")
    keyed = set()
    for test in nodes.values():
        if test["resource_type"] != "test":
            continue
        name = (test.get("test_metadata") or {}).get("name")
        if name in KEY_TESTS and test.get("attached_node"):
            keyed.add(test["attached_node"])
    by_name = {node["name"]: node_id for node_id, node in models.items()}
    for node_id, node in models.items():
        meta = node.get("config", {}).get("meta") or {}
        if layer_of(node) == "staging" or node_id in keyed or meta.get("keyless"):
            continue
        other = meta.get("key_tested_on")
        if other is None:
            problems.append(f"has no key test (unique or unique_combination): {node['name']}")
            continue
        other_id = by_name.get(other)
        if other_id is None or other_id not in keyed:
            problems.append(f"key_tested_on names a model without a key test: "
                            f"{node['name']} -> {other}")
        elif (other_id not in node["depends_on"]["nodes"]
              and node_id not in models[other_id]["depends_on"]["nodes"]):
            problems.append(f"key_tested_on names a model it is not read by or from: "
                            f"{node['name']} -> {other}")
    return sorted(problems)


def main(argv: list[str]) -> int:
    path = Path(argv[1] if len(argv) > 1 else "target/manifest.json")
    manifest = json.loads(path.read_text())
    problems = violations(manifest)
    models = [v for v in manifest["nodes"].values() if v["resource_type"] == "model"]
    counts = {layer: sum(layer_of(m) == layer for m in models) for layer in LAYERS}
    print(f"dag check: {len(models)} models ({', '.join(f'{k} {v}' for k, v in counts.items())})")
    for p in problems:
        print(f"  {p}")
    print("dag check: " + ("ok: every arrow runs downstream" if not problems
                           else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
