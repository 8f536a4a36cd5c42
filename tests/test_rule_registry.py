"""The rule registry (planner/rules.py) is complete: every rule has its encoding, its check,
its wording, scenario keys that exist, and its three tests (STYLE.md, habit 4).

Adding a rule without one of these fails here, naming the rule and what it lacks.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import pytest

from planner.check import checker
from planner.domain.scenario import Rules, Scenario
from planner.rules import BY_ID, RULES, Rule
from planner.solver import model

TESTS = Path(__file__).resolve().parent
# The three tests every rule has, by the start of their names (after `test_r<N>_`).
TEST_KINDS = {
    "feasible": ("feasible",),
    "strict twin": ("strict_twin", "cannot_make_strict"),
    "flagged mutation": ("checker_flags",),
}


def collected_test_names() -> set[str]:
    names = set()
    for path in TESTS.rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        }
    return names


def key_exists(key: str) -> bool:
    """`rules.` keys are bare; other keys are a section and a field of the scenario."""
    if "." not in key:
        return key in Rules.model_fields
    section, field = key.split(".", 1)
    annotation = (
        Scenario.model_fields[section].annotation if section in Scenario.model_fields else None
    )
    return annotation is not None and field in getattr(annotation, "model_fields", {})


def missing_parts(rule: Rule, names: set[str]) -> list[str]:
    """What a rule lacks: its encoding, check, wording, keys or tests."""
    missing = []
    function = getattr(model, rule.model, None)
    if function is None or (function not in model.ENCODING and function is not model.add_variables):
        missing.append(f"model function {rule.model!r} in planner.solver.model.ENCODING")
    if getattr(checker._Checker, rule.check, None) not in checker.CHECKS:
        missing.append(f"checker method {rule.check!r}")
    if not (rule.title and rule.words and rule.relax):
        missing.append("coaching words (title, words, relax)")
    missing += [f"scenario key {key!r}" for key in rule.keys if not key_exists(key)]
    prefix = f"test_{rule.id.lower()}_"
    for kind, starts in TEST_KINDS.items():
        if not any(name.startswith(prefix + start) for name in names for start in starts):
            missing.append(f"a {kind} test ({prefix}{starts[0]}_...)")
    return missing


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_rule_is_complete(rule: Rule) -> None:
    assert missing_parts(rule, collected_test_names()) == []


def test_a_rule_without_its_parts_is_reported() -> None:
    # The meta-test can fail: a made-up rule with no encoding, check, keys or tests.
    ghost = replace(BY_ID["R3"], id="R99", model="add_ghost", check="check_ghost", keys=("nope",))
    missing = missing_parts(ghost, collected_test_names())
    assert any("add_ghost" in part for part in missing)
    assert any("check_ghost" in part for part in missing)
    assert any("'nope'" in part for part in missing)
    assert sum("test" in part for part in missing) == 3


def test_ids_are_unique_and_in_order() -> None:
    # Every rule of COACHING_RULES.md, R1 to R20, once and in order.
    numbers = [int(rule.id.removeprefix("R")) for rule in RULES]
    assert numbers == list(range(1, 21))
    assert set(BY_ID) == {rule.id for rule in RULES}


def test_every_encoding_function_belongs_to_a_rule_or_the_structure() -> None:
    # No constraint family is added without a registry entry (day placement and the
    # benefit hypograph are structure and objective, not coaching rules).
    named = {rule.model for rule in RULES}
    structure = {"add_day_placement", "add_benefit"}
    unnamed = [f.__name__ for f in model.ENCODING if f.__name__ not in named | structure]
    assert unnamed == []
