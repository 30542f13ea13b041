"""Builds that are killed, read while they run, or run twice at once on one DuckDB file.

- A build killed with SIGKILL at a random point leaves a file that the next ordinary
  build finishes: its marts equal those of an uninterrupted build of the same input.
- A reader of the file while a build runs sees the previous complete marts, or is told
  the file is locked; never a half-written table, never another error.
- Of two builds started at once on one file, one fails saying the file is locked and
  the other succeeds, with the marts of an uninterrupted build.

Each build is a `dbt build` in a process group of its own (start_new_session), so that
the whole group can be killed. The raw folders are small, generated ones.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, dbt_build_command, mart_digests

GENERATE = dict(bad_rows=True, fmt="csv", customers=60, start=date(2022, 1, 1),
                end=date(2023, 12, 31))
SEED = 3  # the input every test compares with its uninterrupted build
OTHER_SEED = 4  # the input of the "previous" build that test 2 and 3 start from
RNG_SEED = 20240611
# Where a build is killed, as fractions of an uninterrupted build's length (of which
# parsing the project is about the first third): one draw in each window, so that one
# kill lands about where dbt starts writing and one among the last models and tests.
KILL_WINDOWS = [(0.30, 0.60), (0.60, 0.95)]
TIMEOUT = 900  # seconds; a build that takes longer is killed and the test fails
NODE_STARTED = re.compile(r" \d+ of \d+ START ")  # a hook, seed, model or test began
LOCK_MESSAGE = "Could not set lock on file"


class Build:
    """A `dbt build` running in its own process group; its output goes to a file."""

    def __init__(self, raw_dir: Path, db_path: Path, work: Path):
        work.mkdir(parents=True)
        cmd, env = dbt_build_command(raw_dir, db_path, work)
        env["PYTHONUNBUFFERED"] = "1"  # so that a killed build's output is all there
        self.output_path = work / "output.txt"
        with open(self.output_path, "w") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                         stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        self.started = time.monotonic()

    def running(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL to the build's whole process group, then reap it."""
        if self.running():
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()

    def wait(self) -> int:
        try:
            return self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"dbt build still running after {TIMEOUT} s", pytrace=False)

    def output(self) -> str:
        return self.output_path.read_text(errors="replace")

    def tail(self, n: int = 25) -> str:
        return "\n".join(self.output().splitlines()[-n:])


@pytest.fixture
def builds():
    """Starts builds; kills any still running when the test ends."""
    started: list[Build] = []

    def start(raw_dir: Path, db_path: Path, work: Path) -> Build:
        started.append(Build(raw_dir, db_path, work))
        return started[-1]

    yield start
    for build in started:
        build.kill()


def _finished(build: Build, what: str) -> None:
    rc = build.wait()
    assert rc == 0 and "Completed successfully" in build.output(), \
        f"{what} failed (rc={rc}):\n{build.tail()}"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    from winback_data.generate import generate

    base = tmp_path_factory.mktemp("interrupted")
    raw = {"this": base / "raw", "other": base / "raw_other"}
    generate(raw["this"], seed=SEED, **GENERATE)
    generate(raw["other"], seed=OTHER_SEED, **GENERATE)
    return raw


@pytest.fixture(scope="module")
def reference(inputs, tmp_path_factory) -> dict:
    """An uninterrupted build of the input into a file of its own: its mart digests and
    how long it took."""
    base = tmp_path_factory.mktemp("reference")
    build = Build(inputs["this"], base / "reference.duckdb", base / "work")
    _finished(build, "the uninterrupted build")
    seconds = time.monotonic() - build.started
    digests = mart_digests(base / "reference.duckdb")
    assert len(digests) >= 15, f"too few marts to compare: {sorted(digests)}"
    return {"digests": digests, "seconds": seconds}


@pytest.fixture(scope="module")
def previous(inputs, reference, tmp_path_factory) -> dict:
    """A complete build of the other input: the file a later build of the input
    replaces. Its marts differ from the reference's, so that a mixture shows."""
    base = tmp_path_factory.mktemp("previous")
    build = Build(inputs["other"], base / "previous.duckdb", base / "work")
    _finished(build, "the build of the other input")
    digests = mart_digests(base / "previous.duckdb")
    assert set(digests) == set(reference["digests"])
    same = sorted(n for n in digests if digests[n] == reference["digests"][n])
    assert len(same) <= 3, f"the other input gives the same rows in too many marts: {same}"
    return {"path": base / "previous.duckdb", "digests": digests}


def _differ(got: dict[str, str], want: dict[str, str]) -> list[str]:
    return sorted(n for n in set(got) | set(want) if got.get(n) != want.get(n))


def test_a_killed_build_is_finished_by_the_next_build(inputs, reference, previous,
                                                      builds, tmp_path):
    """Killed (SIGKILL to its process group) at a random point, then built again as
    usual on the same file: the rerun succeeds and every mart equals the uninterrupted
    build's, after each of two kills at different points. The file starts with the
    marts of another input, so that one the rerun did not replace shows."""
    rng = random.Random(RNG_SEED)
    db = tmp_path / "killed.duckdb"
    shutil.copyfile(previous["path"], db)
    nodes_started_at_kill = []
    for i, (low, high) in enumerate(KILL_WINDOWS):
        delay = rng.uniform(low, high) * reference["seconds"]
        for attempt in range(4):
            build = builds(inputs["this"], db, tmp_path / f"kill{i}_{attempt}")
            try:
                build.proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                build.kill()
            # A build that had finished (or printed its summary) interrupts nothing:
            # try again, killing earlier.
            if build.proc.returncode == -signal.SIGKILL and \
                    "Finished running" not in build.output():
                break
            delay /= 2
        assert build.proc.returncode == -signal.SIGKILL, \
            f"kill {i}: the build was never killed before it finished:\n{build.tail()}"
        assert "Finished running" not in build.output()
        nodes_started_at_kill.append(len(NODE_STARTED.findall(build.output())))

        rerun = builds(inputs["this"], db, tmp_path / f"rerun{i}")
        _finished(rerun, f"the build after kill {i} (at {delay:.1f} s)")
        differ = _differ(mart_digests(db), reference["digests"])
        assert not differ, \
            f"after kill {i} at {delay:.1f} s and a rerun, marts that differ: {differ}"
    # At least one kill landed while the build was writing (after its first hook,
    # seed, model or test began), not only while it parsed the project.
    assert max(nodes_started_at_kill) > 0, \
        f"every kill landed before dbt wrote anything: {nodes_started_at_kill}"


def test_a_reader_during_a_build_sees_the_previous_marts_or_a_lock(
        inputs, reference, previous, builds, tmp_path):
    """A read-only connection, opened again and again while a build of another input
    replaces the file's marts, reads either all the previous marts or is refused with
    a lock error; once the build has let go of the file, all the new marts."""
    db = tmp_path / "read.duckdb"
    shutil.copyfile(previous["path"], db)
    rng = random.Random(RNG_SEED + 1)
    build = builds(inputs["this"], db, tmp_path / "work")
    seen: list[tuple[str, object]] = []
    while build.running() and time.monotonic() - build.started < TIMEOUT:
        try:
            seen.append(("marts", mart_digests(db)))
        except Exception as exc:  # any error is an observation, judged below
            seen.append(("error", f"{type(exc).__name__}: {exc}"))
        # Irregular pauses, so that the reader is rarely holding the file when the build
        # tries to open it (it tries three times, see profiles.yml).
        time.sleep(rng.uniform(0.5, 1.5))
    _finished(build, "the build read while it ran")

    errors = [text for kind, text in seen if kind == "error"]
    other_errors = [e for e in errors if not (e.startswith("IOException")
                                              and LOCK_MESSAGE in e)]
    assert not other_errors, f"errors that are not a lock: {other_errors}"
    reads = ["previous" if got == previous["digests"] else
             "new" if got == reference["digests"] else
             f"neither (differs from the previous in {_differ(got, previous['digests'])})"
             for kind, got in seen if kind == "marts"]
    assert all(r in ("previous", "new") for r in reads), \
        f"a reader saw marts that are neither the previous nor the new build's: {reads}"
    assert reads and reads[0] == "previous", f"the first read, before dbt opened the file: {reads}"
    assert reads == sorted(reads, key=["previous", "new"].index), \
        f"the previous marts were seen after the new ones: {reads}"
    # The reader was there while dbt held the file, not only before and after.
    assert errors, f"no read was refused: the reader never overlapped the build ({reads})"
    assert mart_digests(db) == reference["digests"]


def test_two_builds_at_once_one_fails_on_the_lock_the_other_succeeds(
        inputs, reference, previous, builds, tmp_path):
    """Two builds started together on one file: one stops, before writing anything,
    with DuckDB's message that the file is locked by another process; the other builds
    the marts of an uninterrupted build."""
    db = tmp_path / "twice.duckdb"
    shutil.copyfile(previous["path"], db)
    pair = [builds(inputs["this"], db, tmp_path / f"work{i}") for i in range(2)]
    rcs = [b.wait() for b in pair]
    winners = [b for b in pair if b.proc.returncode == 0]
    losers = [b for b in pair if b.proc.returncode != 0]
    assert len(winners) == 1 and len(losers) == 1, \
        f"return codes {rcs}; outputs:\n" + "\n---\n".join(b.tail() for b in pair)
    (winner,), (loser,) = winners, losers
    assert "Completed successfully" in winner.output()

    out = loser.output()
    # dbt's error, e.g. `Encountered an error: Runtime Error IO Error: Could not set lock
    # on file "<db>": Conflicting lock is held in <python> (PID <winner>).`
    error = out.partition("Encountered an error:")[2]
    assert f'{LOCK_MESSAGE} "{db}": Conflicting lock is held in ' in error, \
        f"the failed build does not say the file is locked:\n{loser.tail()}"
    assert f"(PID {winner.proc.pid})" in error, \
        f"the message does not name the build holding the file:\n{loser.tail()}"
    assert not NODE_STARTED.search(out), "the failed build ran something before it stopped"
    assert mart_digests(db) == reference["digests"]
