"""What to mutate: modules.toml read and checked, and which mutants fall inside a module's rules.

Pure: it reads text handed to it and the files it is told to check, and runs nothing.
"""

import ast
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PLAN_FILE = Path("tests/mutation/modules.toml")


class PlanError(Exception):
    """modules.toml names something that is not there, or is not written as expected."""


@dataclass(frozen=True)
class ModulePlan:
    path: str
    tests: tuple[str, ...]
    only: tuple[str, ...] = ()

    @property
    def name(self):
        """The module's dotted name, used to name its session files."""
        return self.path.removesuffix(".py").replace("/", ".")


@dataclass(frozen=True)
class Plan:
    modules: tuple[ModulePlan, ...]
    operators: tuple[str, ...] = field(default=())

    def module(self, path):
        for module in self.modules:
            if module.path == path:
                return module
        known = ", ".join(module.path for module in self.modules)
        raise PlanError(f"{PLAN_FILE} has no module {path}; it lists: {known}.")

    def uses_operator(self, name):
        """Whether a cosmic-ray operator ("core/AddNot" or "AddNot") is in use."""
        short = name.removeprefix("core/")
        return any(re.fullmatch(pattern, short) for pattern in self.operators)


def _strings(value, where):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PlanError(f"{PLAN_FILE}: {where} must be a list of strings.")
    return tuple(value)


def parse_plan(text, root):
    """Read modules.toml and check that every module, test file and name in it exists under root."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PlanError(f"{PLAN_FILE}: {error}") from None
    tables = data.get("modules")
    if not isinstance(tables, dict) or not tables:
        raise PlanError(f'{PLAN_FILE}: no [modules."path/to/module.py"] tables.')
    modules = []
    for path, table in tables.items():
        where = f'[modules."{path}"]'
        if not isinstance(table, dict):
            raise PlanError(f"{PLAN_FILE}: {where} must be a table with `tests`.")
        unknown = set(table) - {"tests", "only"}
        if unknown:
            raise PlanError(f"{PLAN_FILE}: {where} has unknown keys: {', '.join(sorted(unknown))}.")
        if not (Path(root) / path).is_file():
            raise PlanError(f"{PLAN_FILE}: {where}: there is no file {path}.")
        tests = _strings(table.get("tests"), f"{where} tests")
        if not tests:
            raise PlanError(f"{PLAN_FILE}: {where} lists no tests.")
        for test in tests:
            if not (Path(root) / test).is_file():
                raise PlanError(f"{PLAN_FILE}: {where}: there is no test file {test}.")
        only = _strings(table.get("only", []), f"{where} only")
        if only:
            defined = {name for name, _, _ in definitions((Path(root) / path).read_text())}
            for name in only:
                if name not in defined:
                    raise PlanError(
                        f"{PLAN_FILE}: {where}: `only` names {name}, which {path} does not "
                        "define (as a class, function, method or module-level name)."
                    )
        modules.append(ModulePlan(path=path, tests=tests, only=only))
    operators = _strings(data.get("operators", {}).get("use"), "[operators] use")
    for pattern in operators:
        try:
            re.compile(pattern)
        except re.error as error:
            raise PlanError(f"{PLAN_FILE}: [operators] use: {pattern!r}: {error}") from None
    return Plan(modules=tuple(modules), operators=operators)


def definitions(source):
    """(qualified name, first line, last line) of every class, function and assigned name.

    A function's lines start at its first decorator, so removing a decorator is inside it.
    """
    found = []

    def visit(body, prefix):
        for node in body:
            first, last = node.lineno, node.end_lineno
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([first, *(decorator.lineno for decorator in node.decorator_list)])
                found.append((prefix + node.name, first, last))
                visit(node.body, f"{prefix}{node.name}.")
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name):
                            found.append((prefix + name.id, first, last))

    visit(ast.parse(source).body, "")
    return found


TYPE_CHECKING = ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def unevaluated(source):
    """The spans ((line, column), (end line, end column)) of code Python never runs: type
    annotations where the module has `from __future__ import annotations`, and the blocks of
    `if TYPE_CHECKING:`. A mutant there changes nothing, so none is made."""
    tree = ast.parse(source)
    postponed = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "__future__"
        and any(alias.name == "annotations" for alias in node.names)
        for node in tree.body
    )
    spans = []

    def span(node):
        spans.append(((node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)))

    for node in ast.walk(tree):
        if postponed and isinstance(node, ast.arg | ast.AnnAssign) and node.annotation:
            span(node.annotation)
        elif postponed and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.returns:
                span(node.returns)
        elif isinstance(node, ast.If) and ast.unparse(node.test) in TYPE_CHECKING:
            # The test and the body, not an `else:`, which does run.
            last = node.body[-1]
            spans.append(((node.lineno, node.col_offset), (last.end_lineno, last.end_col_offset)))
    return spans


def inside(spans, position):
    """Whether the (line, column) `position` falls in one of `spans`."""
    return any(start <= tuple(position) < end for start, end in spans)


def scope_at(found, line):
    """The innermost definition around `line`, by qualified name, or None at module level."""
    around = [(first, -last, name) for name, first, last in found if first <= line <= last]
    return max(around)[2] if around else None


def within(scope, only):
    """Whether a mutant in `scope` is one to make, given a module's `only` list."""
    if not only:
        return True
    return scope is not None and any(scope == name or scope.startswith(name + ".") for name in only)
