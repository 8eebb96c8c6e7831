"""The mutation tool (tools/mutants.py) makes exactly the mutants it documents, and none in strings."""

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("mutants_tool", ROOT / "tools" / "mutants.py")
mutants = sys.modules.setdefault("mutants_tool", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(mutants)  # registered first: its dataclasses look their module up

SOURCE = '''"""Module docstring: 1 < 2, a + b and not c are words here."""
import numpy as np


@decorate(level=1)
def f(a: int = 1, b: list[int] | None = None) -> int:
    """Docstring: a <= b."""
    label = "a < b" + f"{a + 1}"
    n: int = 0
    if a < 2 and not b:
        raise ValueError(f"bad {a - 1}", a * 3)
    n += a * 4 - np.minimum(a, n)
    done = n != 0 or a not in (True, 3)
    arrow = "\u2192\u2192" if done else n + 1
    return max(a // 2, n) if b is None else [1] * a
'''

# (line, change, the line after the change), in file order; worked out by hand from the rules in the
# tool's docstring: nothing in the docstrings, the string and f-string of line 8, the raise of line 11,
# the decorator of line 5 or the annotations; the list of line 15 is repeated, not mutated
EXPECTED = [
    (6, "1 -> 0", "def f(a: int = 0, b: list[int] | None = None) -> int:"),
    (6, "1 -> 2", "def f(a: int = 2, b: list[int] | None = None) -> int:"),
    (9, "0 -> 1", "    n: int = 1"),
    (10, "< -> <=", "    if a <= 2 and not b:"),
    (10, "2 -> 3", "    if a < 3 and not b:"),
    (10, "and -> or", "    if a < 2 or not b:"),
    (10, "not -> (dropped)", "    if a < 2 and b:"),
    (12, "+= -> -=", "    n -= a * 4 - np.minimum(a, n)"),
    (12, "* -> /", "    n += a / 4 - np.minimum(a, n)"),
    (12, "4 -> 5", "    n += a * 5 - np.minimum(a, n)"),
    (12, "- -> +", "    n += a * 4 + np.minimum(a, n)"),
    (12, "minimum -> maximum", "    n += a * 4 - np.maximum(a, n)"),
    (13, "!= -> ==", "    done = n == 0 or a not in (True, 3)"),
    (13, "0 -> 1", "    done = n != 1 or a not in (True, 3)"),
    (13, "or -> and", "    done = n != 0 and a not in (True, 3)"),
    (13, "not in -> in", "    done = n != 0 or a in (True, 3)"),
    (13, "True -> False", "    done = n != 0 or a not in (False, 3)"),
    (13, "3 -> 4", "    done = n != 0 or a not in (True, 4)"),
    (14, "+ -> -", '    arrow = "\u2192\u2192" if done else n - 1'),
    (14, "1 -> 0", '    arrow = "\u2192\u2192" if done else n + 0'),
    (14, "1 -> 2", '    arrow = "\u2192\u2192" if done else n + 2'),
    (15, "max -> min", "    return min(a // 2, n) if b is None else [1] * a"),
    (15, "// -> /", "    return max(a / 2, n) if b is None else [1] * a"),
    (15, "2 -> 3", "    return max(a // 3, n) if b is None else [1] * a"),
    (15, "is -> is not", "    return max(a // 2, n) if b is not None else [1] * a"),
    (15, "1 -> 0", "    return max(a // 2, n) if b is None else [0] * a"),
    (15, "1 -> 2", "    return max(a // 2, n) if b is None else [2] * a"),
]


def test_the_mutator_makes_exactly_the_documented_mutants_in_file_order():
    found = mutants.mutants_of(SOURCE, "example.py")
    assert [(m.line, m.change, m.apply(SOURCE).splitlines()[m.line - 1]) for m in found] == EXPECTED


def test_each_mutant_changes_one_line_only_and_still_parses():
    lines = SOURCE.splitlines()
    for m in mutants.mutants_of(SOURCE, "example.py"):
        mutated = m.apply(SOURCE)
        ast.parse(mutated)
        changed = [i + 1 for i, (a, b) in enumerate(zip(lines, mutated.splitlines(), strict=True)) if a != b]
        assert changed == [m.line] and m.where == f"example.py:{m.line}"


def test_docstrings_strings_fstrings_annotations_and_raise_messages_are_not_mutated():
    source = '''"""x < 1 and y + 2"""
def g(x: int = None) -> list[int]:
    """x >= 3 or not y"""
    s = "x < 1" + f"{x * 2}"
    raise ValueError(f"{x - 1}", x < 2)
'''
    assert mutants.mutants_of(source) == []


def test_a_mutant_refuses_a_source_it_was_not_made_for():
    (first, *_) = mutants.mutants_of(SOURCE, "example.py")
    with pytest.raises(ValueError, match="example.py:6"):
        first.apply(SOURCE.replace("a: int = 1", "a: int = 7"))


def test_every_target_module_and_test_file_exists_and_every_equivalence_has_a_reason():
    for target in mutants.TARGETS:
        assert (ROOT / target.path).is_file()
        assert all((ROOT / test).is_file() for test in target.tests)
    paths = {t.path for t in mutants.TARGETS}
    for entry in mutants.load_equivalents():
        assert entry["path"] in paths and entry["reason"].strip()


def test_the_summary_counts_by_outcome_and_lists_each_survivor():
    (a, b, c, d, *_) = mutants.mutants_of(SOURCE, "example.py")
    outcomes = [mutants.Outcome(a, "killed", 1.0, "x"), mutants.Outcome(b, "timeout", 3.0, "x"),
                mutants.Outcome(c, "equivalent", 1.0, "n: int = 0", "why"),
                mutants.Outcome(d, "survived", 1.0, "if a < 2 and not b:")]
    text = mutants.summary({"example.py": outcomes}, [])
    header, row = text.splitlines()[:2]
    assert header.split()[:2] == ["module", "mutants"]
    assert row.split() == ["example.py", "4", "1", "1", "1", "1", "67", "%"]  # 2 of the 3 not equivalent
    assert "example.py:10:10  < -> <=" in text and "if a < 2 and not b:" in text


def test_equivalence_entries_match_by_line_change_and_column_and_lapse_visibly():
    (a, b, *_) = mutants.mutants_of(SOURCE, "example.py")  # line 6: 1 -> 0, then 1 -> 2
    line = SOURCE.splitlines()[5]
    entry = {"path": "example.py", "line": line.strip(), "change": "1 -> 0", "reason": "why"}
    assert mutants._equivalent([entry], a, line) is entry and mutants._equivalent([entry], b, line) is None
    assert mutants._equivalent([{**entry, "column": a.col + 1}], a, line) is not None
    assert mutants._equivalent([{**entry, "column": a.col + 2}], a, line) is None
    gone = {**entry, "line": "n = 1"}
    text = mutants.summary({"example.py": [mutants.Outcome(a, "killed", 1.0, line.strip())]}, [entry, gone])
    assert "listed as equivalent but killed" in text and "no such mutant now" in text and "n = 1" in text


def test_every_takes_each_k_th_mutant_of_the_full_list_and_refuses_less_than_one(capsys):
    assert mutants.main(["--list", "--module", "neuro/billing.py"]) == 0
    everything = capsys.readouterr().out.splitlines()
    assert mutants.main(["--list", "--module", "neuro/billing.py", "--every", "3"]) == 0
    assert capsys.readouterr().out.splitlines() == everything[::3] and len(everything) > 3
    with pytest.raises(SystemExit):
        mutants.main(["--list", "--every", "0"])
    assert "--every must be at least 1" in capsys.readouterr().err
