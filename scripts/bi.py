"""Apache Superset on winback's marts, on 127.0.0.1, with the winback dashboard built
through Superset's REST API from bi/dashboard.json.

Usage:
  python scripts/bi.py serve [DUCKDB_FILE] [--port 8088] [--home target/superset]
      `make bi`: migrate the metadata database, create the admin user, `superset init`,
      start the server, build the dashboard, print its URL and the login, serve until
      Ctrl-C.
  python scripts/bi.py check [DUCKDB_FILE]
      The same in a throwaway home on a free port; builds the dashboard, checks that
      Superset lists it with every chart, stops the server. Exit status 0 when it works.

DUCKDB_FILE defaults to WINBACK_DUCKDB_PATH, else target/winback.duckdb. The admin user is
WINBACK_BI_ADMIN_USER (default admin) with WINBACK_BI_ADMIN_PASSWORD, or else a random
password made once per home and kept in <home>/admin.txt (mode 600).

Tests use `superset_server(...)`, a context manager that does what `check` does and
yields the running server. Standard library only: it runs in the project's environment
and in Superset's, and drives Superset's own CLI (.tools/venv-superset/bin/superset).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUPERSET = ROOT / ".tools" / "venv-superset" / "bin" / "superset"
CONFIG = ROOT / "bi" / "superset_config.py"
DEFAULT_HOME = ROOT / "target" / "superset"
START_TIMEOUT_S = 120
sys.path.insert(0, str(ROOT / "bi"))
# bi/ is a folder of scripts, not a package: importable only once it is on sys.path.
import dashboard  # noqa: E402  (bi/dashboard.py: the definitions and their API calls)


class BiError(RuntimeError):
    pass


@dataclass
class Running:
    url: str
    user: str
    password: str = field(repr=False)
    dashboard_url: str
    chart_ids: dict
    home: Path
    log: Path
    process: subprocess.Popen


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def superset_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, SUPERSET_HOME=str(home), SUPERSET_CONFIG_PATH=str(CONFIG),
               FLASK_APP="superset")
    env.pop("FLASK_DEBUG", None)
    return env


def admin_login(home: Path) -> tuple[str, str, bool]:
    """(user, password, made): from the env vars, else the password kept in the home's
    admin.txt, else a new random one written there."""
    user = os.environ.get("WINBACK_BI_ADMIN_USER") or "admin"
    if os.environ.get("WINBACK_BI_ADMIN_PASSWORD"):
        return user, os.environ["WINBACK_BI_ADMIN_PASSWORD"], False
    path = home / "admin.txt"
    if path.exists():
        saved = dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
        if saved.get("user") == user and saved.get("password"):
            return user, saved["password"], False
    password = secrets.token_urlsafe(12)
    path.touch(mode=0o600)
    path.write_text(f"user={user}\npassword={password}\n")
    return user, password, True


def run_cli(args: list[str], env: dict, log: Path, timeout: float = 300) -> str:
    """One `superset ...` command; its output goes to the log and, on failure, into the
    error."""
    try:
        proc = subprocess.run([str(SUPERSET), *args], env=env, cwd=env["SUPERSET_HOME"],
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BiError(f"`superset {' '.join(args[:2])}` did not finish in {timeout:.0f} s")
    with log.open("a") as f:
        f.write(f"$ superset {args[0]} {args[1] if len(args) > 1 else ''}\n"
                f"{proc.stdout}{proc.stderr}\n")
    if proc.returncode != 0:
        raise BiError(f"`superset {' '.join(args[:2])}` failed (rc={proc.returncode}):\n"
                      + (proc.stdout + proc.stderr)[-3000:])
    return proc.stdout + proc.stderr


def prepare(home: Path, user: str, password: str, log: Path) -> dict:
    """The metadata database migrated, the admin user present with this password, and
    Superset's roles and permissions (`superset init`)."""
    if not SUPERSET.exists():
        raise BiError(f"{SUPERSET} is missing: run `make setup-bi` (it installs Superset "
                      "from bi/uv.lock)")
    env = superset_env(home)
    run_cli(["db", "upgrade"], env, log)
    out = run_cli(["fab", "create-admin", "--username", user, "--firstname", "winback",
                   "--lastname", "admin", "--email", f"{user}@localhost",
                   "--password", password], env, log)
    if "already exists" in out:  # a home from an earlier run: the password may differ
        run_cli(["fab", "reset-password", "--username", user, "--password", password],
                env, log)
    run_cli(["init"], env, log)
    return env


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BiError(f"Superset exited (rc={proc.returncode}) before it served "
                          f"{url}/health:\n{tail(log)}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.5)
    raise BiError(f"Superset did not answer {url}/health within {timeout:.0f} s:\n{tail(log)}")


def tail(log: Path, n: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


def stop(proc: subprocess.Popen) -> None:
    """Stop the server and its children (it runs in a process group of its own)."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


@contextlib.contextmanager
def superset_server(duckdb_file: Path, home: Path | None = None, port: int | None = None,
                    start_timeout: float = START_TIMEOUT_S):
    """Superset serving on 127.0.0.1 with the winback dashboard built on duckdb_file;
    yields a Running and stops the server on exit. home defaults to a temporary folder
    (removed afterwards), port to a free one."""
    duckdb_file = Path(duckdb_file).resolve()
    if not duckdb_file.is_file():
        raise BiError(f"{duckdb_file} does not exist: run `make demo` first")
    with contextlib.ExitStack() as stack:
        if home is None:
            home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="superset_")))
        home = Path(home).resolve()
        home.mkdir(parents=True, exist_ok=True)
        log = home / "superset.log"
        port = port or free_port()
        if port_in_use(port):
            raise BiError(f"port {port} on 127.0.0.1 is in use: set WINBACK_BI_PORT")
        user, password, _ = admin_login(home)
        env = prepare(home, user, password, log)
        url = f"http://127.0.0.1:{port}"
        with log.open("a") as out:
            proc = subprocess.Popen(
                [str(SUPERSET), "run", "-h", "127.0.0.1", "-p", str(port), "--with-threads"],
                env=env, cwd=home, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        stack.callback(stop, proc)
        wait_healthy(url, proc, log, start_timeout)
        spec = json.loads(dashboard.DEFINITIONS.read_text())
        built = dashboard.build(dashboard.Superset(url, user, password), duckdb_file, spec)
        yield Running(url=url, user=user, password=password,
                      dashboard_url=url + built["path"], chart_ids=built["charts"],
                      home=home, log=log, process=proc)


def check(api: "dashboard.Superset") -> None:
    """The dashboard is listed with every chart of bi/dashboard.json."""
    spec = json.loads(dashboard.DEFINITIONS.read_text())
    charts = api.call("GET", f"/api/v1/dashboard/{spec['dashboard']['slug']}/charts")["result"]
    names = sorted(c["slice_name"] for c in charts)
    expected = sorted(c["name"] for c in spec["charts"])
    if names != expected:
        raise BiError(f"the dashboard holds {names}, not {expected}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["serve", "check"])
    parser.add_argument("duckdb_file", nargs="?", type=Path,
                        default=Path(os.environ.get("WINBACK_DUCKDB_PATH")
                                     or ROOT / "target" / "winback.duckdb"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WINBACK_BI_PORT", 8088)))
    parser.add_argument("--home", type=Path, default=Path(os.environ.get("SUPERSET_HOME")
                                                          or DEFAULT_HOME))
    args = parser.parse_args(argv)
    try:
        if args.mode == "check":
            with superset_server(args.duckdb_file) as running:
                check(dashboard.Superset(running.url, running.user, running.password))
                print(f"ok: {running.dashboard_url} with {len(running.chart_ids)} charts")
            return 0
        home = args.home.resolve()
        home.mkdir(parents=True, exist_ok=True)
        user, password, made = admin_login(home)
        print(f"Starting Superset on 127.0.0.1:{args.port} (home {home}; log "
              f"{home / 'superset.log'}); this takes under a minute.", flush=True)
        with superset_server(args.duckdb_file, home=home, port=args.port) as running:
            print(f"\nwinback dashboard: {running.dashboard_url}")
            if made:
                print(f"log in as {user} with password {password} "
                      f"(kept in {home / 'admin.txt'})")
            elif os.environ.get("WINBACK_BI_ADMIN_PASSWORD"):
                print(f"log in as {user} with the password in WINBACK_BI_ADMIN_PASSWORD")
            else:
                print(f"log in as {user}; the password is in {home / 'admin.txt'}")
            print("Serving until Ctrl-C.", flush=True)
            # Ctrl-C, or a TERM, stops the server too (SIGINT is set explicitly: a shell
            # that starts make in the background has it ignored).
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            try:
                while running.process.poll() is None:
                    time.sleep(1)
            except KeyboardInterrupt:
                print("\nStopping Superset.")
                return 0
            print(f"Superset stopped:\n{tail(running.log)}", file=sys.stderr)
            return 1
    except (BiError, dashboard.SupersetError) as exc:
        print(f"bi: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
