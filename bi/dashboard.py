"""Create winback's Superset dashboard through Superset's REST API, from bi/dashboard.json.

Usage: python bi/dashboard.py DUCKDB_FILE [--url URL] [--user USER] [--password PASSWORD]
       (defaults: http://127.0.0.1:8088, WINBACK_BI_ADMIN_USER / WINBACK_BI_ADMIN_PASSWORD)

The definitions (the database connection, the datasets, the charts' form data and the
dashboard's layout) are data in bi/dashboard.json; this script only turns them into API
calls. It owns the database connection named in that file and everything built on it:
each run deletes the dashboard, the charts on its datasets, the datasets and the
connection, then creates them again, so a run is repeatable and leaves exactly what the
file says. Standard library only, so it runs in any Python 3.11.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

DEFINITIONS = Path(__file__).resolve().with_name("dashboard.json")


def rison(value) -> str:
    """Rison, the URL notation Superset's list endpoints take in `q` (enough of it for
    filters of strings and numbers)."""
    if isinstance(value, dict):
        return "(" + ",".join(f"{k}:{rison(v)}" for k, v in value.items()) + ")"
    if isinstance(value, list):
        return "!(" + ",".join(rison(v) for v in value) + ")"
    if isinstance(value, bool):
        return "!t" if value else "!f"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if text and all(c.isalnum() or c in "-_./~" for c in text) and not text[0].isdigit():
        return text
    return "'" + text.replace("!", "!!").replace("'", "!'") + "'"


class SupersetError(RuntimeError):
    pass


class Superset:
    """A logged-in REST client: a JWT for the API plus the session cookie and CSRF token
    that Superset's CSRF protection asks of every write."""

    def __init__(self, url: str, user: str, password: str, timeout: float = 60):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.headers = {"Content-Type": "application/json", "Referer": self.url}
        token = self.call("POST", "/api/v1/security/login", {
            "username": user, "password": password, "provider": "db", "refresh": False})
        self.headers["Authorization"] = f"Bearer {token['access_token']}"
        self.headers["X-CSRFToken"] = self.call("GET", "/api/v1/security/csrf_token/")["result"]

    def call(self, method: str, path: str, body=None, ok_missing: bool = False):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers=self.headers)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                text = response.read().decode()
        except urllib.error.HTTPError as exc:
            if ok_missing and exc.code == 404:
                return None
            detail = exc.read().decode(errors="replace")[:2000]
            raise SupersetError(f"{method} {path} -> HTTP {exc.code}: {detail}") from None
        return json.loads(text) if text else {}

    def find(self, resource: str, col: str, value, opr: str = "eq") -> list[dict]:
        """The objects of a list endpoint (up to 100) whose column matches the value."""
        q = {"filters": [{"col": col, "opr": opr, "value": value}], "page_size": 100}
        path = f"/api/v1/{resource}/?q={urllib.parse.quote(rison(q), safe='')}"
        return self.call("GET", path)["result"]


def remove_previous(api: Superset, spec: dict) -> None:
    """Delete what an earlier run created: the dashboard, then the charts on the
    connection's datasets, the datasets and the connection itself."""
    dashboard = api.call("GET", f"/api/v1/dashboard/{spec['dashboard']['slug']}",
                         ok_missing=True)
    if dashboard:
        api.call("DELETE", f"/api/v1/dashboard/{dashboard['result']['id']}")
    for database in api.find("database", "database_name", spec["database"]["name"]):
        for dataset in api.find("dataset", "database", database["id"], "rel_o_m"):
            related = api.call("GET", f"/api/v1/dataset/{dataset['id']}/related_objects")
            for chart in related["charts"]["result"]:
                api.call("DELETE", f"/api/v1/chart/{chart['id']}")
            api.call("DELETE", f"/api/v1/dataset/{dataset['id']}")
        api.call("DELETE", f"/api/v1/database/{database['id']}")


def position_json(spec: dict, chart_ids: dict[str, int]) -> dict:
    """The dashboard's layout (Superset's v2 position format): a header, then one row per
    entry of spec['dashboard']['rows'], each chart with its width out of 12 columns."""
    layout = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID",
                      "meta": {"text": spec["dashboard"]["title"]}},
    }
    names = {c["key"]: c["name"] for c in spec["charts"]}
    for r, row in enumerate(spec["dashboard"]["rows"], start=1):
        row_id = f"ROW-{r}"
        layout["GRID_ID"]["children"].append(row_id)
        layout[row_id] = {"type": "ROW", "id": row_id, "children": [],
                          "parents": ["ROOT_ID", "GRID_ID"],
                          "meta": {"background": "BACKGROUND_TRANSPARENT"}}
        for key, width in row["charts"]:
            chart_id = f"CHART-{key}"
            layout[row_id]["children"].append(chart_id)
            layout[chart_id] = {"type": "CHART", "id": chart_id, "children": [],
                                "parents": ["ROOT_ID", "GRID_ID", row_id],
                                "meta": {"chartId": chart_ids[key], "width": width,
                                         "height": row["height"], "sliceName": names[key]}}
    return layout


def build(api: Superset, duckdb_file: Path, spec: dict) -> dict:
    """Create the connection, datasets, charts and dashboard; returns the dashboard's
    id, URL path and chart ids by key."""
    remove_previous(api, spec)
    uri = f"duckdb:///{duckdb_file.resolve()}?access_mode=read_only"
    database_id = api.call("POST", "/api/v1/database/", {
        "database_name": spec["database"]["name"], "sqlalchemy_uri": uri,
        "expose_in_sqllab": True, "allow_dml": False, "allow_file_upload": False,
    })["id"]

    dataset_ids: dict[str, int] = {}
    for ds in spec["datasets"]:
        body = {"database": database_id, "schema": ds["schema"], "table_name": ds["table_name"]}
        if "sql" in ds:
            body["sql"] = "\n".join(ds["sql"])
        dataset_id = api.call("POST", "/api/v1/dataset/", body)["id"]
        if ds.get("description"):
            api.call("PUT", f"/api/v1/dataset/{dataset_id}", {"description": ds["description"]})
        dataset_ids[ds["table_name"]] = dataset_id

    dash = spec["dashboard"]
    dashboard_id = api.call("POST", "/api/v1/dashboard/", {
        "dashboard_title": dash["title"], "slug": dash["slug"], "published": True,
    })["id"]

    chart_ids: dict[str, int] = {}
    for chart in spec["charts"]:
        dataset_id = dataset_ids[chart["dataset"]]
        params = {**chart["params"], "viz_type": chart["viz_type"],
                  "datasource": f"{dataset_id}__table"}
        chart_ids[chart["key"]] = api.call("POST", "/api/v1/chart/", {
            "slice_name": chart["name"], "viz_type": chart["viz_type"],
            "datasource_id": dataset_id, "datasource_type": "table",
            "params": json.dumps(params), "dashboards": [dashboard_id],
        })["id"]

    api.call("PUT", f"/api/v1/dashboard/{dashboard_id}", {
        "position_json": json.dumps(position_json(spec, chart_ids)),
        "json_metadata": json.dumps({"refresh_frequency": 0, "color_scheme": "supersetColors",
                                     "cross_filters_enabled": False}),
    })
    return {"id": dashboard_id, "path": f"/superset/dashboard/{dash['slug']}/",
            "charts": chart_ids}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("duckdb_file", type=Path)
    parser.add_argument("--url", default="http://127.0.0.1:8088")
    parser.add_argument("--user", default=os.environ.get("WINBACK_BI_ADMIN_USER", "admin"))
    parser.add_argument("--password", default=os.environ.get("WINBACK_BI_ADMIN_PASSWORD"))
    args = parser.parse_args(argv)
    if not args.duckdb_file.is_file():
        parser.error(f"{args.duckdb_file} does not exist: run `make demo` first")
    if not args.password:
        parser.error("no password: pass --password or set WINBACK_BI_ADMIN_PASSWORD")
    spec = json.loads(DEFINITIONS.read_text())
    result = build(Superset(args.url, args.user, args.password), args.duckdb_file, spec)
    print(f"{args.url.rstrip('/')}{result['path']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
