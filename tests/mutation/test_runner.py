"""The mutation runner's own rules: the allow-list, the score, the reports, the plan."""

from pathlib import Path

import pytest

from tests.mutation import plan, report
from tests.mutation.report import ERROR, KILLED, SURVIVED, TIMED_OUT, Mutant

ROOT = Path(__file__).resolve().parents[2]

ALLOW_LIST = """\
# Equivalent mutants.

articles/readingtime.py:22 NumberReplacer — range(-1) is as empty as range(0)
articles/workflow.py:40 core/ReplaceOrWithAnd -- only a speed difference
"""

DIFF = """\
--- mutation diff ---
--- a/articles/readingtime.py
+++ b/articles/readingtime.py
@@ -22,3 +22,3 @@
-def reading_minutes(word_count, image_count=0):
+def reading_minutes(word_count, image_count= -1):
"""


def mutant(outcome, line=22, operator="core/NumberReplacer", path="articles/readingtime.py"):
    return Mutant(path=path, line=line, operator=operator, outcome=outcome, diff=DIFF)


def test_an_allow_list_line_names_a_mutant_and_why_it_may_survive():
    first, second = report.parse_allow_list(ALLOW_LIST)
    assert (first.path, first.line, first.operator) == (
        "articles/readingtime.py",
        22,
        "NumberReplacer",
    )
    assert first.reason == "range(-1) is as empty as range(0)"
    assert first.where == "tests/mutation/allowed.txt:3"
    assert (second.operator, second.reason) == ("core/ReplaceOrWithAnd", "only a speed difference")


def test_an_allow_list_line_without_a_reason_is_refused_with_its_line_number():
    refused = r"allowed\.txt:2: say why .*:22 NumberReplacer"
    with pytest.raises(report.AllowListError, match=refused):
        report.parse_allow_list("# header\narticles/readingtime.py:22 NumberReplacer — \n")


def test_an_allow_list_line_without_a_line_number_is_refused_with_its_own():
    with pytest.raises(report.AllowListError, match=r"allowed\.txt:1: expected `path"):
        report.parse_allow_list("articles/readingtime.py NumberReplacer — equivalent\n")


def test_an_allowed_survivor_counts_as_killed_in_the_score():
    allowed = report.parse_allow_list(ALLOW_LIST)
    mutants = [mutant(KILLED)] * 2 + [mutant(SURVIVED), mutant(SURVIVED, line=25)]
    counts = report.tally(mutants, allowed)
    assert (counts.killed, counts.survived, counts.allowed) == (2, 1, 1)
    assert counts.score == 75.0


def test_an_allow_list_entry_excuses_only_its_own_line_and_operator():
    allowed = report.parse_allow_list(ALLOW_LIST)
    other_operator = mutant(SURVIVED, operator="core/AddNot")
    other_line = mutant(SURVIVED, line=23)
    assert report.tally([other_operator, other_line], allowed).survived == 2


def test_timeouts_count_as_killed_but_are_counted_apart():
    counts = report.tally([mutant(KILLED), mutant(TIMED_OUT), mutant(SURVIVED)], [])
    assert (counts.killed, counts.timed_out, counts.mutants) == (1, 1, 3)
    assert counts.score == pytest.approx(200 / 3)


def test_mutants_that_could_not_be_tested_are_left_out_of_the_score():
    counts = report.tally([mutant(KILLED), mutant(ERROR), mutant(ERROR)], [])
    assert (counts.mutants, counts.errors, counts.score) == (3, 2, 100.0)


def test_a_module_with_no_tested_mutant_has_no_score():
    counts = report.tally([mutant(ERROR)], [])
    assert counts.score is None
    assert "| — |" in report.summary_table([("articles/readingtime.py", counts, 75, "2026-01-02")])


def test_cosmic_ray_outcomes_are_read_as_killed_timed_out_survived_or_error():
    assert report.classify("normal", "killed", "FAILED tests/...") == KILLED
    assert report.classify("normal", "killed", "timeout") == TIMED_OUT
    assert report.classify("normal", "survived", "3 passed") == SURVIVED
    assert report.classify("normal", "incompetent", "Traceback ...") == ERROR
    assert report.classify("exception", None, "Traceback ...") == ERROR


def test_summary_row_shows_the_counts_score_time_and_date():
    counts = report.Tally(killed=6, timed_out=1, survived=2, allowed=1, errors=3)
    table = report.summary_table([("articles/workflow.py", counts, 125, "2026-01-02 10:00")])
    assert table.splitlines()[2] == (
        "| articles/workflow.py | 13 | 6 | 1 | 2 | 1 | 3 | 80.0 % | 2m05s | 2026-01-02 10:00 |"
    )


def test_survivors_report_shows_the_line_before_and_after_and_why_one_is_allowed():
    allowed = report.parse_allow_list(ALLOW_LIST)
    text = report.survivors_markdown(
        {"articles/readingtime.py": [mutant(SURVIVED), mutant(SURVIVED, line=25), mutant(KILLED)]},
        allowed,
    )
    rows = [line for line in text.splitlines() if line.startswith("| articles/")]
    assert rows == [
        "| articles/readingtime.py:22 | NumberReplacer "
        "| `def reading_minutes(word_count, image_count=0):` "
        "| `def reading_minutes(word_count, image_count= -1):` "
        "| allowed: range(-1) is as empty as range(0) |",
        "| articles/readingtime.py:25 | NumberReplacer "
        "| `def reading_minutes(word_count, image_count=0):` "
        "| `def reading_minutes(word_count, image_count= -1):` | **survived** |",
    ]


def test_allow_list_entries_that_excuse_no_survivor_are_listed_to_be_updated():
    allowed = report.parse_allow_list(ALLOW_LIST)
    text = report.survivors_markdown({"articles/readingtime.py": [mutant(KILLED)]}, allowed)
    assert "- tests/mutation/allowed.txt:3: articles/readingtime.py:22 NumberReplacer" in text
    # Only modules in the report are judged: workflow.py was not run.
    assert "allowed.txt:4" not in text


MODULE = """\
import x

LIMIT = 5


class Feed:
    size = 3

    @property
    @cached
    def is_public(self):
        return self.size > LIMIT


def helper():
    return 1
"""


def test_only_keeps_mutants_inside_the_named_method_constant_or_function():
    found = plan.definitions(MODULE)

    def kept(line, only):
        return plan.within(plan.scope_at(found, line), only)

    assert kept(12, ["Feed.is_public"]) and kept(12, ["Feed"])
    assert kept(9, ["Feed.is_public"]), "a decorator belongs to the function it decorates"
    assert not kept(7, ["Feed.is_public"]), "a class attribute is not one of its methods"
    assert kept(3, ["LIMIT"]) and not kept(1, ["LIMIT"]) and not kept(16, ["Feed"])
    assert kept(1, []), "a module without `only` is mutated throughout"


POSTPONED = """from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from feed.models import Feed

LIMIT: int | None = 3


def pick(feed: Feed | None, size: int = 2) -> int | None:
    return size | 1
"""


def test_no_mutant_is_made_in_annotations_python_never_evaluates_or_type_checking_blocks():
    spans = plan.unevaluated(POSTPONED)
    assert plan.inside(spans, (6, 4)), "the block of `if TYPE_CHECKING:`"
    assert plan.inside(spans, (8, 11)), "a variable's annotation"
    assert plan.inside(spans, (11, 20)) and plan.inside(spans, (11, 50)), (
        "a parameter's, a return's"
    )
    assert not plan.inside(spans, (8, 20)), "the value assigned"
    assert not plan.inside(spans, (11, 40)), "a default value"
    assert not plan.inside(spans, (12, 16)), "the function's body"


def test_the_else_of_if_type_checking_is_mutated_since_it_runs():
    source = "if TYPE_CHECKING:\n    LIMIT = 3\nelse:\n    LIMIT = 4\n"
    spans = plan.unevaluated(source)
    assert plan.inside(spans, (2, 12)) and not plan.inside(spans, (4, 12))


def test_annotations_are_mutated_where_python_evaluates_them():
    evaluated = POSTPONED.replace("from __future__ import annotations\n", "")
    spans = plan.unevaluated(evaluated)
    assert plan.inside(spans, (5, 4)), "`if TYPE_CHECKING:` still never runs"
    assert not plan.inside(spans, (7, 11)) and not plan.inside(spans, (10, 20))


def test_a_name_in_only_that_the_module_no_longer_defines_is_refused(tmp_path):
    (tmp_path / "feed").mkdir()
    (tmp_path / "feed" / "models.py").write_text(MODULE)
    (tmp_path / "test_feed.py").write_text("")
    toml = '[modules."feed/models.py"]\ntests = ["test_feed.py"]\nonly = ["Feed.is_visible"]\n'
    refused = r"only` names Feed\.is_visible, which feed/models\.py does not define"
    with pytest.raises(plan.PlanError, match=refused):
        plan.parse_plan(toml + "[operators]\nuse = []\n", tmp_path)


def test_a_module_that_was_renamed_is_refused_with_its_old_path(tmp_path):
    toml = '[modules."articles/importing.py"]\ntests = ["tests/test_import.py"]\n'
    with pytest.raises(plan.PlanError, match=r'modules\."articles/importing\.py"\]: there is no'):
        plan.parse_plan(toml, tmp_path)


def test_operators_are_chosen_by_their_whole_name_with_or_without_core():
    chosen = plan.Plan(modules=(), operators=("AddNot", "ReplaceBinaryOperator_(Add_Sub|Sub_Add)"))
    assert chosen.uses_operator("core/AddNot") and chosen.uses_operator("AddNot")
    assert chosen.uses_operator("core/ReplaceBinaryOperator_Sub_Add")
    assert not chosen.uses_operator("core/ReplaceBinaryOperator_Add_Pow")
    assert not chosen.uses_operator("core/AddNotX")


def test_the_project_modules_file_names_modules_tests_and_rules_that_exist():
    """When a module is renamed, this says to rename it in tests/mutation/modules.toml."""
    project = plan.parse_plan((ROOT / plan.PLAN_FILE).read_text(), ROOT)
    assert "articles/readingtime.py" in [module.path for module in project.modules]
    assert project.uses_operator("core/ReplaceComparisonOperator_Lt_LtE")
    report.parse_allow_list((ROOT / report.ALLOW_FILE).read_text())
