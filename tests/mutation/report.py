"""The allow-list, the score and the two reports, from plain records of mutants.

Pure: the runner turns cosmic-ray's sessions into `Mutant`s; nothing here runs anything.
"""

import re
from dataclasses import dataclass
from pathlib import Path

ALLOW_FILE = Path("tests/mutation/allowed.txt")

KILLED, TIMED_OUT, SURVIVED, ERROR = "killed", "timed out", "survived", "error"

_ALLOW_LINE = re.compile(
    r"(?P<path>[^\s:]+):(?P<line>\d+)\s+(?P<operator>\S+)\s+(?:—|--)\s*(?P<reason>.*)"
)


class AllowListError(Exception):
    """A line of the allow-list does not say which mutant and why."""


@dataclass(frozen=True)
class Allowed:
    path: str
    line: int
    operator: str
    reason: str
    where: str  # the allow-list's own file and line, to point at stale entries

    def matches(self, mutant):
        return (self.path, self.line) == (mutant.path, mutant.line) and _short(
            self.operator
        ) == _short(mutant.operator)


@dataclass(frozen=True)
class Mutant:
    path: str
    line: int
    operator: str
    outcome: str  # KILLED, TIMED_OUT, SURVIVED or ERROR
    diff: str = ""
    output: str = ""


def _short(operator):
    return operator.removeprefix("core/")


def parse_allow_list(text, filename=ALLOW_FILE):
    """Entries of `path:line operator — reason`, one a line; blank lines and # comments skipped."""
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _ALLOW_LINE.fullmatch(line)
        if not match:
            raise AllowListError(
                f"{filename}:{number}: expected `path/to/module.py:LINE Operator — reason`, "
                f"got {line!r}."
            )
        if not match["reason"].strip():
            raise AllowListError(
                f"{filename}:{number}: say why {match['path']}:{match['line']} "
                f"{match['operator']} may survive, after the dash."
            )
        entries.append(
            Allowed(
                path=match["path"],
                line=int(match["line"]),
                operator=match["operator"],
                reason=match["reason"].strip(),
                where=f"{filename}:{number}",
            )
        )
    return entries


def classify(worker_outcome, test_outcome, output):
    """KILLED, TIMED_OUT, SURVIVED or ERROR for cosmic-ray's worker and test outcomes."""
    if worker_outcome != "normal" or test_outcome == "incompetent":
        return ERROR
    if test_outcome == "survived":
        return SURVIVED
    return TIMED_OUT if output == "timeout" else KILLED


def allowance(mutant, allowed):
    """The allow-list entry that excuses this surviving mutant, or None."""
    if mutant.outcome != SURVIVED:
        return None
    return next((entry for entry in allowed if entry.matches(mutant)), None)


@dataclass(frozen=True)
class Tally:
    killed: int = 0
    timed_out: int = 0
    survived: int = 0
    allowed: int = 0
    errors: int = 0

    @property
    def mutants(self):
        return self.killed + self.timed_out + self.survived + self.allowed + self.errors

    @property
    def score(self):
        """Per cent of tested mutants the tests caught, allowed survivors counted as caught.

        Mutants that could not be tested (errors) are left out; None when none was tested.
        """
        tested = self.mutants - self.errors
        if not tested:
            return None
        return 100 * (self.killed + self.timed_out + self.allowed) / tested


def tally(mutants, allowed):
    counts = {"killed": 0, "timed_out": 0, "survived": 0, "allowed": 0, "errors": 0}
    for mutant in mutants:
        if mutant.outcome == SURVIVED:
            counts["allowed" if allowance(mutant, allowed) else "survived"] += 1
        else:
            key = {KILLED: "killed", TIMED_OUT: "timed_out", ERROR: "errors"}[mutant.outcome]
            counts[key] += 1
    return Tally(**counts)


def before_after(diff):
    """The changed lines of a mutant's unified diff, as (before, after) text."""
    removed, added = [], []
    for line in diff.splitlines():
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("-"):
            removed.append(line[1:].strip())
        elif line.startswith("+"):
            added.append(line[1:].strip())
    return " ".join(removed), " ".join(added)


def _cell(text):
    return text.replace("|", "\\|")


def _code(text):
    if not text:
        return "*(removed)*"
    if "`" in text:
        return _cell(f"`` {text} ``")
    return _cell(f"`{text}`")


def _score_text(score):
    return "—" if score is None else f"{score:.1f} %"


def summary_table(rows):
    """Markdown table; rows are (module, Tally, seconds, date) in the order to show."""
    heads = ["Module", "Mutants", "Killed", "Timed out", "Survived", "Allowed", "Errors"]
    heads += ["Score", "Time", "Date"]
    lines = [
        "| " + " | ".join(heads) + " |",
        "| --- |" + " ---: |" * (len(heads) - 2) + " --- |",
    ]
    for module, counts, seconds, date in rows:
        minutes, secs = divmod(round(seconds), 60)
        lines.append(
            f"| {module} | {counts.mutants} | {counts.killed} | {counts.timed_out} "
            f"| {counts.survived} | {counts.allowed} | {counts.errors} "
            f"| {_score_text(counts.score)} | {minutes}m{secs:02d}s | {date} |"
        )
    return "\n".join(lines) + "\n"


def survivors_markdown(results, allowed):
    """The survivors of each module, allowed ones with their reason, then what could not run.

    `results` maps a module's path to its mutants, in the order to show.
    """
    out = ["# Surviving mutants", ""]
    for module, mutants in results.items():
        alive = [m for m in mutants if m.outcome == SURVIVED]
        broken = [m for m in mutants if m.outcome == ERROR]
        out += [f"## {module}", ""]
        if not alive and not broken:
            out += ["No survivors.", ""]
        if alive:
            out += [
                "| Where | Operator | Before | After | Status |",
                "| --- | --- | --- | --- | --- |",
            ]
            for mutant in sorted(alive, key=lambda m: (m.line, m.operator)):
                entry = allowance(mutant, allowed)
                status = f"allowed: {entry.reason}" if entry else "**survived**"
                before, after = before_after(mutant.diff)
                out.append(
                    f"| {mutant.path}:{mutant.line} | {_short(mutant.operator)} "
                    f"| {_code(before)} | {_code(after)} | {_cell(status)} |"
                )
            out.append("")
        if broken:
            out += ["Could not be tested (not counted in the score):", ""]
            for mutant in sorted(broken, key=lambda m: (m.line, m.operator)):
                reason = (mutant.output or "no output").strip().splitlines()[-1]
                out.append(f"- {mutant.path}:{mutant.line} {_short(mutant.operator)}: {reason}")
            out.append("")
    stale = unused_allowances(results, allowed)
    if stale:
        out += ["## Allow-list entries that excuse no surviving mutant", ""]
        out += [f"- {entry.where}: {entry.path}:{entry.line} {entry.operator}" for entry in stale]
        out.append("")
    return "\n".join(out)


def unused_allowances(results, allowed):
    """Entries for reported modules that match no survivor: the line moved, or tests now kill it."""
    survivors = [m for mutants in results.values() for m in mutants if m.outcome == SURVIVED]
    return [
        entry
        for entry in allowed
        if entry.path in results and not any(entry.matches(m) for m in survivors)
    ]
