"""Mutation testing with cosmic-ray: `make mutants` (or `make mutants MODULE=path/to/module.py`).

The working tree is never mutated. The project's files (tracked, and untracked ones git does
not ignore) are copied into two temporary folders, one per CPU core. For each module in
tests/mutation/modules.toml the module's tests first run unmutated (the baseline, which also
sets the per-mutant timeout); cosmic-ray then lists the module's mutants, and each copy runs
`cosmic-ray exec` on half of them with the local distributor. Results are kept per module in
mutation-report/sessions/, and mutation-report/summary.md and survivors.md are written from
every module's latest session.
"""

import argparse
import json
import math
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from tests.mutation import plan as planning
from tests.mutation import report

try:
    from cosmic_ray.config import serialize_config
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult
except ImportError:
    sys.exit("cosmic-ray is not installed in this virtualenv: run `make install-dev`.")

ROOT = Path(__file__).resolve().parents[2]
REPORT_DIR = ROOT / "mutation-report"
SESSIONS = REPORT_DIR / "sessions"
LANES = 2
# A mutant may take this many times the unmutated run, plus some seconds, before it counts as
# killed by timeout: two copies run at once on a shared machine, so leave room.
TIMEOUT_FACTOR = 3
TIMEOUT_EXTRA = 10
PROGRESS_EVERY = 60
OTHER_LANE = "tested in the other copy"
LEFT_OUT = {
    "operator": "left out: operator not in use (tests/mutation/modules.toml)",
    "scope": "left out: outside the module's `only` list (tests/mutation/modules.toml)",
    "unevaluated": "left out: in an annotation or an `if TYPE_CHECKING:` block, never run",
}


class RunError(Exception):
    """A step of the run failed in a way the user has to look at."""


class ExecError(RunError):
    """cosmic-ray exec stopped early, so a copy may still hold a mutant: the run stops too."""


def cosmic_ray():
    executable = Path(sys.executable).with_name("cosmic-ray")
    if not executable.exists():
        raise RunError("cosmic-ray is not installed in this virtualenv: run `make install-dev`.")
    return str(executable)


def project_files(root):
    """Tracked files, plus untracked ones git does not ignore, that exist now."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        check=False,
    )
    if listing.returncode:
        raise RunError(f"git ls-files failed in {root}: {listing.stderr.decode().strip()}")
    names = sorted({name for name in listing.stdout.decode().split("\0") if name})
    return [name for name in names if (root / name).is_file() or (root / name).is_symlink()]


def copy_project(root, files, destination):
    for name in files:
        source, target = root / name, destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)


# Each copy migrates a SQLite database once; each run of the tests starts from a copy of it
# (pytest-django's --reuse-db), instead of migrating a database of its own every time.
MIGRATED = "mutants-migrated.sqlite3"
TEST_DATABASE = "mutants-test.sqlite3"


def environment():
    """The tests run on SQLite with the local-memory cache, and write no bytecode.

    A stale .pyc of the unmutated module, with the same size and second as a mutant, would
    otherwise be loaded instead of the mutant.
    """
    env = dict(os.environ)
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    env["DATABASE_TEST_NAME"] = TEST_DATABASE  # in the copy the tests run in
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def migrate_once(lane, env):
    """The copy's migrated database, made before any module of the run is mutated."""
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=lane,
        env={**env, "DATABASE_URL": f"sqlite:///{lane / MIGRATED}"},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise RunError(f"migrating {lane.name} failed:\n" + tail(result.stdout + result.stderr))


def test_command(module):
    """The tests of `module` on a fresh copy of the migrated database, in one process (-n 0,
    whatever PYTEST_ADDOPTS asks): the copies already run at once."""
    pytest = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-n", "0"]
    run = shlex.join([*pytest, "--reuse-db", *module.tests])
    return shlex.join(["sh", "-c", f"cp {MIGRATED} {TEST_DATABASE} && exec {run}"])


def tail(text, lines=30):
    return "\n".join(text.strip().splitlines()[-lines:])


def run_baseline(module, lane, env):
    """Seconds the module's tests take unmutated; RunError if they do not pass."""
    started = time.monotonic()
    result = subprocess.run(
        shlex.split(test_command(module)),
        cwd=lane,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise RunError(
            f"{module.path}: its tests fail without any mutation, so no mutant can be judged:\n"
            + tail(result.stdout + result.stderr)
        )
    return time.monotonic() - started


def init_session(module, plan, lanes, workdir, timeout, env):
    """Create the module's session and split its mutants between the copies.

    Returns each copy's session file, the cosmic-ray config, how many mutants each copy will
    test, and how many mutants were left out (operators not in use, or outside `only`).
    """
    config = workdir / f"{module.name}.toml"
    config.write_text(
        serialize_config(
            {
                "module-path": module.path,
                "timeout": timeout,
                "excluded-modules": [],
                "test-command": test_command(module),
                "distributor": {"name": "local"},
            }
        )
    )
    sessions = [workdir / f"{module.name}.{number}.sqlite" for number in range(len(lanes))]
    init = subprocess.run(
        [cosmic_ray(), "init", str(config), str(sessions[0])],
        cwd=lanes[0],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if init.returncode:
        raise RunError(f"{module.path}: cosmic-ray init failed:\n{tail(init.stderr)}")

    source = (lanes[0] / module.path).read_text()
    found = planning.definitions(source)
    never_run = planning.unevaluated(source)
    skipped = {reason: [] for reason in LEFT_OUT}
    kept = []
    with use_db(sessions[0]) as db:
        for item in db.pending_work_items:
            (mutation,) = item.mutations
            if not plan.uses_operator(mutation.operator_name):
                skipped["operator"].append(item.job_id)
            elif not planning.within(planning.scope_at(found, mutation.start_pos[0]), module.only):
                skipped["scope"].append(item.job_id)
            elif planning.inside(never_run, mutation.start_pos):
                skipped["unevaluated"].append(item.job_id)
            else:
                kept.append(item)
        for reason, job_ids in skipped.items():
            if job_ids:
                db.set_multiple_results(
                    job_ids,
                    WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=LEFT_OUT[reason]),
                )
    # Neighbouring mutants cost about the same, so alternating them balances the copies.
    kept.sort(key=lambda item: (item.mutations[0].start_pos, item.mutations[0].operator_name))
    shares = [kept[number :: len(lanes)] for number in range(len(lanes))]
    for session in sessions[1:]:
        shutil.copyfile(sessions[0], session)
    for number, session in enumerate(sessions):
        others = [item.job_id for share in shares if share is not shares[number] for item in share]
        if others:
            with use_db(session) as db:
                db.set_multiple_results(
                    others, WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=OTHER_LANE)
                )
    return sessions, config, [len(share) for share in shares], sum(map(len, skipped.values()))


def results_count(session):
    with use_db(session, WorkDB.Mode.open) as db:
        return db.num_results


def execute(module, lanes, sessions, config, shares, workdir, env):
    """Run `cosmic-ray exec` in every copy at once; merge the results into the first session."""
    started = [results_count(session) for session in sessions]
    logs = [workdir / f"{module.name}.{number}.log" for number in range(len(lanes))]
    processes = []
    try:
        for lane, session, log in zip(lanes, sessions, logs, strict=True):
            with log.open("w") as handle:
                processes.append(
                    subprocess.Popen(
                        [cosmic_ray(), "exec", str(config), str(session)],
                        cwd=lane,
                        env=env,
                        stdout=handle,
                        stderr=subprocess.STDOUT,
                    )
                )
        last = time.monotonic()
        while any(process.poll() is None for process in processes):
            time.sleep(2)
            if time.monotonic() - last >= PROGRESS_EVERY:
                last = time.monotonic()
                try:
                    done = sum(results_count(s) - n for s, n in zip(sessions, started, strict=True))
                    print(f"  {module.path}: {done} of {sum(shares)} mutants tested", flush=True)
                except Exception:  # noqa: BLE001 - a busy session only delays the progress line
                    pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                process.wait()
    for process, log in zip(processes, logs, strict=True):
        if process.returncode:
            raise ExecError(
                f"{module.path}: cosmic-ray exec stopped with exit code {process.returncode}:\n"
                + tail(log.read_text())
            )
    with use_db(sessions[0], WorkDB.Mode.open) as merged:
        for session in sessions[1:]:
            with use_db(session, WorkDB.Mode.open) as db:
                for item, result in db.completed_work_items:
                    if result.worker_outcome != WorkerOutcome.SKIPPED:
                        merged.set_result(item.job_id, result)


def run_module(module, plan, lanes, workdir, env):
    print(f"{module.path}: running its tests unmutated ({len(module.tests)} files)", flush=True)
    baseline = run_baseline(module, lanes[0], env)
    timeout = math.ceil(TIMEOUT_FACTOR * baseline + TIMEOUT_EXTRA)
    sessions, config, shares, left_out = init_session(module, plan, lanes, workdir, timeout, env)
    print(
        f"{module.path}: {sum(shares)} mutants ({left_out} left out), baseline {baseline:.1f} s, "
        f"timeout {timeout} s a mutant",
        flush=True,
    )
    started = time.monotonic()
    execute(module, lanes, sessions, config, shares, workdir, env)
    seconds = time.monotonic() - started
    SESSIONS.mkdir(parents=True, exist_ok=True)
    shutil.move(sessions[0], SESSIONS / f"{module.name}.sqlite")
    meta = {
        "module": module.path,
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
        "seconds": round(seconds, 1),
        "baseline_seconds": round(baseline, 1),
        "timeout": timeout,
        "tests": list(module.tests),
    }
    (SESSIONS / f"{module.name}.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"{module.path}: done in {seconds / 60:.1f} min", flush=True)


def read_mutants(session):
    """The module's mutants as report.Mutant records; those left out are not mutants."""
    mutants = []
    with use_db(session, WorkDB.Mode.open) as db:
        done = db.completed_work_items
        pending = db.pending_work_items
    for item, result in done:
        if result.worker_outcome == WorkerOutcome.NO_TEST or result.output in LEFT_OUT.values():
            continue
        # A mutant still marked for the other copy was never reported by it.
        mutants.append(_mutant(item.mutations[0], None if result.output == OTHER_LANE else result))
    mutants += [_mutant(item.mutations[0], None) for item in pending]
    return mutants


def _mutant(mutation, result):
    """A report.Mutant; one without a result is an error: it was never run."""
    if result is None:
        outcome, diff, output = report.ERROR, "", "not run: the run stopped before it"
    else:
        test_outcome = result.test_outcome.value if result.test_outcome else None
        outcome = report.classify(result.worker_outcome.value, test_outcome, result.output)
        diff, output = result.diff or "", result.output or ""
    return report.Mutant(
        path=str(mutation.module_path),
        line=mutation.start_pos[0],
        operator=mutation.operator_name,
        outcome=outcome,
        diff=diff,
        output=output,
    )


def write_reports(plan, allowed):
    """summary.md and survivors.md from the latest session of every module in the plan."""
    rows, results = [], {}
    for module in plan.modules:
        session, meta_file = SESSIONS / f"{module.name}.sqlite", SESSIONS / f"{module.name}.json"
        if not (session.exists() and meta_file.exists()):
            continue
        meta = json.loads(meta_file.read_text())
        mutants = read_mutants(session)
        results[module.path] = mutants
        rows.append((module.path, report.tally(mutants, allowed), meta["seconds"], meta["date"]))
    if not rows:
        print("No module has been run yet: run `make mutants`.")
        return
    table = report.summary_table(rows)
    REPORT_DIR.mkdir(exist_ok=True)
    (REPORT_DIR / "summary.md").write_text(
        "# Mutation testing\n\n"
        + table
        + "\nScore = (killed + timed out + allowed) / (mutants − errors). "
        "Each row is the module's latest run; survivors are listed in survivors.md.\n"
    )
    (REPORT_DIR / "survivors.md").write_text(report.survivors_markdown(results, allowed))
    print()
    print(table)
    print(f"Reports: {(REPORT_DIR / 'summary.md').relative_to(ROOT)}, survivors.md beside it.")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--module", action="append", default=[], help="a module's path in modules.toml; repeatable"
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite the reports from the stored sessions (after editing allowed.txt)",
    )
    args = parser.parse_args(argv)
    try:
        plan = planning.parse_plan((ROOT / planning.PLAN_FILE).read_text(), ROOT)
        allowed = report.parse_allow_list((ROOT / report.ALLOW_FILE).read_text())
        modules = [plan.module(path) for path in args.module] or list(plan.modules)
    except (planning.PlanError, report.AllowListError) as error:
        print(error, file=sys.stderr)
        return 2
    if args.report_only:
        write_reports(plan, allowed)
        return 0

    failed = []
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-mutants-"))
    try:
        files = project_files(ROOT)
        lanes = [workdir / f"copy-{number}" for number in range(1, LANES + 1)]
        env = environment()
        for lane in lanes:
            copy_project(ROOT, files, lane)
            migrate_once(lane, env)
        for module in modules:
            try:
                run_module(module, plan, lanes, workdir, env)
            except RunError as error:
                print(error, file=sys.stderr)
                failed.append(module.path)
                if isinstance(error, ExecError):
                    break
    except RunError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nInterrupted; modules finished so far keep their results.", file=sys.stderr)
        failed.append("(interrupted)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    write_reports(plan, allowed)
    if failed:
        print(f"Not finished: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
