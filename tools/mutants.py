"""Mutation testing of the numerical and accounting core (``make mutants``; never run by CI).

    python tools/mutants.py [--module PATH ...] [--limit N] [--every K] [--json FILE] [--list]

Each mutant is one small change to one token of one line of a module: a comparison
(``<`` and ``<=``, ``>`` and ``>=``, ``==`` and ``!=`` swapped), an arithmetic operator
(``+`` and ``-``, ``*`` and ``/`` swapped, ``//`` made ``/``; augmented assignments too),
a boolean (``and`` and ``or`` swapped, a ``not`` dropped), an integer constant (``n`` made
``n + 1``, and ``1`` also made ``0``), a ``min``/``max`` call swapped (also ``minimum``/
``maximum`` and ``argmin``/``argmax``) or ``True``/``False`` swapped. Docstrings and other
strings, f-strings, type annotations, decorators and ``raise`` statements are not mutated,
nor is arithmetic on a string, list or tuple literal (a mutant there can only crash).

For each module the tests in :data:`TARGETS` run once unmutated (they must pass; three
times their time is each mutant's timeout), then once per mutant with
``pytest -x -q -p no:cacheprovider`` (Hypothesis seeded). A mutant the tests pass is a
survivor, one they fail is killed, one that runs past the timeout is counted apart.
A survivor listed in ``tools/mutants_equivalent.toml`` (an equivalent mutant: no
behaviour can change, with the reason) is counted as equivalent instead.

The source tree is never written: the tool copies the worktree (tracked and untracked,
not ignored, files) into a temporary directory and mutates the copy, which it puts first
on ``PYTHONPATH``; bytecode is not written there, so a stale ``.pyc`` can never stand in
for a mutated file. It refuses to start if ``git status`` shows a target module modified.
"""

from __future__ import annotations

import argparse
import ast
import bisect
import importlib.util
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tokenize
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENTS = Path(__file__).with_name("mutants_equivalent.toml")


@dataclass(frozen=True)
class Target:
    """A module to mutate and the tests that exercise it (run in this order, stopping at the first failure)."""

    path: str
    tests: tuple[str, ...]
    pytest_args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)


TARGETS = (
    Target("neuro/billing.py", ("tests/test_neuro/test_billing.py",)),
    Target("hardware_profiles/energy.py", ("tests/test_hardware_profiles/test_profiles.py",
                                           "tests/test_neuro/test_billing.py", "tests/test_neuro/test_mapping.py")),
    Target("neuro/sequence.py", ("tests/test_neuro/test_sequence.py", "tests/test_neuro/test_encode.py")),
    Target("hardware_profiles/quantize.py", ("tests/test_hardware_profiles/test_profiles.py",
                                             "tests/test_neuro/test_mapping.py")),
    Target("neuro/mapping.py", ("tests/test_neuro/test_mapping.py", "tests/test_neuro/test_billing.py")),
    Target("neuro/encode.py", ("tests/test_neuro/test_encode.py", "tests/test_neuro/test_sequence.py")),
    Target("converters/cnn.py", ("tests/test_converters/test_cnn.py",)),
    Target("converters/rules.py", ("tests/test_converters/test_cnn.py", "tests/test_converters/test_quantised.py")),
    Target("converters/quantised.py", ("tests/test_converters/test_quantised.py",)),
    Target("neuro/membranes.py", ("tests/test_neuro/test_membranes.py",)),
    # the kernels as plain Python (the engine tests pass with the JIT off too): a mutant needs no compilation
    Target("neuro/engine/kernels.py", ("tests/test_neuro/test_engine.py",), ("-m", "engine"),
           {"NUMBA_DISABLE_JIT": "1"}),
)

# compile the engine's kernel once into the copy's Numba cache, so no test run pays for it
WARM_UP = ("-m", "neuro.engine.warm")
TIMEOUT_FACTOR = 3.0
MIN_TIMEOUT_S = 10.0

COMPARE = {ast.Lt: ("<", "<="), ast.LtE: ("<=", "<"), ast.Gt: (">", ">="), ast.GtE: (">=", ">"),
           ast.Eq: ("==", "!="), ast.NotEq: ("!=", "=="), ast.In: ("in", "not in"), ast.NotIn: ("not in", "in"),
           ast.Is: ("is", "is not"), ast.IsNot: ("is not", "is")}
ARITHMETIC = {ast.Add: ("+", "-"), ast.Sub: ("-", "+"), ast.Mult: ("*", "/"), ast.Div: ("/", "*"),
              ast.FloorDiv: ("//", "/")}
BOOLEAN = {ast.And: ("and", "or"), ast.Or: ("or", "and")}
MIN_MAX = {"min": "max", "max": "min", "minimum": "maximum", "maximum": "minimum", "amin": "amax", "amax": "amin",
           "nanmin": "nanmax", "nanmax": "nanmin", "argmin": "argmax", "argmax": "argmin"}
# operands whose arithmetic is concatenation or repetition: a mutant there can only raise a TypeError
LITERALS = (ast.JoinedStr, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.ListComp, ast.SetComp, ast.DictComp)
SKIPPED_FIELDS = {"annotation", "returns", "decorator_list", "type_comment"}


@dataclass(frozen=True)
class Mutant:
    """One token of one line replaced: ``line`` is 1-based, ``col``/``end_col`` are 0-based characters."""

    path: str
    line: int
    col: int
    end_col: int
    operator: str  # compare, arithmetic, boolean, not, constant, min_max, true_false
    original: str
    replacement: str

    @property
    def change(self) -> str:
        return f"{self.original.strip()} -> {self.replacement.strip() or '(dropped)'}"

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def apply(self, source: str) -> str:
        """``source`` with this one change."""
        lines = source.splitlines(keepends=True)
        text = lines[self.line - 1]
        if text[self.col:self.end_col] != self.original:
            raise ValueError(f"{self.where}: expected {self.original!r} at column {self.col}, "
                             f"found {text[self.col:self.end_col]!r}")
        lines[self.line - 1] = text[:self.col] + self.replacement + text[self.end_col:]
        return "".join(lines)


# --------------------------------------------------------------------------- the mutator


class _Tokens:
    """The file's tokens by position (characters), to find the exact token an AST node's operator is."""

    def __init__(self, source: str):
        self.lines = source.splitlines(keepends=True)
        self.tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
                       if t.type in (tokenize.OP, tokenize.NAME, tokenize.NUMBER)]
        self.starts = [t.start for t in self.tokens]

    def position(self, line: int, byte_col: int) -> tuple[int, int]:
        """An AST position (UTF-8 byte column) as a tokenize one (character column)."""
        return line, len(self.lines[line - 1].encode()[:byte_col].decode())

    def first(self, text: str, start: tuple[int, int], end: tuple[int, int]):
        """The first token spelled ``text`` (two words for ``not in`` and ``is not``, on one line) that starts at
        or after ``start`` and ends by ``end``, as ``(start, end)`` positions."""
        words = text.split()
        index = bisect.bisect_left(self.starts, start)
        for i, token in enumerate(self.tokens[index:], index):
            if token.start >= end:
                return None
            following = self.tokens[i:i + len(words)]
            if [t.string for t in following] == words and following[-1].end <= end \
                    and following[-1].end[0] == token.start[0]:
                return token.start, following[-1].end
        return None

    def start(self, node: ast.AST) -> tuple[int, int]:
        return self.position(node.lineno, node.col_offset)

    def end(self, node: ast.AST) -> tuple[int, int]:
        return self.position(node.end_lineno, node.end_col_offset)


def _walk(node: ast.AST):
    """The nodes the mutator may change: no strings, f-strings, annotations, decorators or raise statements."""
    if isinstance(node, ast.JoinedStr | ast.Raise):
        return
    yield node
    for name, value in ast.iter_fields(node):
        if name in SKIPPED_FIELDS:
            continue
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, ast.AST):
                yield from _walk(child)


def _is_literal(node: ast.AST) -> bool:
    return isinstance(node, LITERALS) or (isinstance(node, ast.Constant) and isinstance(node.value, str | bytes))


def mutants_of(source: str, path: str = "<string>") -> list[Mutant]:
    """Every mutant of ``source``, in file order (line, then column)."""
    tree = ast.parse(source)
    tokens = _Tokens(source)
    found: list[Mutant] = []

    def add(spelling, start, end, operator: str, replacement: str) -> None:
        token = tokens.first(spelling, start, end)
        if token is not None:
            (line, col), (_, end_col) = token
            found.append(Mutant(path, line, col, end_col, operator, tokens.lines[line - 1][col:end_col], replacement))

    def between(a: ast.AST, b: ast.AST, spelling: str, operator: str, replacement: str) -> None:
        add(spelling, tokens.end(a), tokens.start(b), operator, replacement)

    def at(node: ast.AST, spelling: str, operator: str, replacement: str, *, last: bool = False) -> None:
        start, end = tokens.start(node), tokens.end(node)
        if last:  # an attribute's name ends its node
            start = (end[0], end[1] - len(spelling))
        add(spelling, start, end, operator, replacement)

    for node in _walk(tree):
        if isinstance(node, ast.Compare):
            for left, op, right in zip([node.left, *node.comparators[:-1]], node.ops, node.comparators, strict=True):
                if type(op) in COMPARE:
                    spelling, replacement = COMPARE[type(op)]
                    between(left, right, spelling, "compare", replacement)
        elif isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
            if not (_is_literal(node.left) or _is_literal(node.right)):
                spelling, replacement = ARITHMETIC[type(node.op)]
                between(node.left, node.right, spelling, "arithmetic", replacement)
        elif isinstance(node, ast.AugAssign) and type(node.op) in ARITHMETIC:
            if not _is_literal(node.value):
                spelling, replacement = ARITHMETIC[type(node.op)]
                between(node.target, node.value, spelling + "=", "arithmetic", replacement + "=")
        elif isinstance(node, ast.BoolOp):
            spelling, replacement = BOOLEAN[type(node.op)]
            for left, right in zip(node.values, node.values[1:], strict=False):
                between(left, right, spelling, "boolean", replacement)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            token = tokens.first("not", tokens.start(node), tokens.start(node.operand))
            end = tokens.start(node.operand)
            if token is not None and token[1][0] == end[0]:
                # the token and the space after it go: ``not x`` -> ``x``, ``not(x)`` -> ``(x)``
                (line, col), (_, stop) = token
                text = tokens.lines[line - 1]
                while stop < end[1] and text[stop] == " ":
                    stop += 1
                found.append(Mutant(path, line, col, stop, "not", text[col:stop], ""))
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            at(node, str(node.value), "true_false", str(not node.value))
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            spelling = ast.get_source_segment(source, node)
            if spelling is not None:
                at(node, spelling, "constant", str(node.value + 1))
                if node.value == 1:
                    at(node, spelling, "constant", "0")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in ("min", "max"):
                at(func, func.id, "min_max", MIN_MAX[func.id])
            elif isinstance(func, ast.Attribute) and func.attr in MIN_MAX:
                at(func, func.attr, "min_max", MIN_MAX[func.attr], last=True)
    return sorted(found, key=lambda m: (m.line, m.col, m.replacement))


# --------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Outcome:
    mutant: Mutant
    status: str  # killed, survived, timeout, equivalent
    seconds: float
    source_line: str
    reason: str = ""


def load_equivalents(path: Path = EQUIVALENTS) -> list[dict]:
    """Survivors judged equivalent: each entry names path, line (its stripped text), change and reason, and
    column (as printed, 1-based) where the line holds the same change more than once."""
    if not path.exists():
        return []
    entries = tomllib.loads(path.read_text()).get("equivalent", [])
    for entry in entries:
        missing = {"path", "line", "change", "reason"} - set(entry)
        unknown = set(entry) - {"path", "line", "change", "reason", "column"}
        if missing or unknown or not entry["reason"].strip():
            raise ValueError(f"{path}: an entry lacks {sorted(missing) or ['a reason']} or has unknown keys "
                             f"{sorted(unknown)}: {entry}")
    return entries


def _matches(entry: dict, mutant: Mutant, source_line: str) -> bool:
    return ((entry["path"], entry["line"], entry["change"]) == (mutant.path, source_line.strip(), mutant.change)
            and entry.get("column", mutant.col + 1) == mutant.col + 1)


def _equivalent(entries: list[dict], mutant: Mutant, source_line: str) -> dict | None:
    return next((entry for entry in entries if _matches(entry, mutant, source_line)), None)


def _git_modified(paths: list[str]) -> list[str]:
    out = subprocess.run(["git", "status", "--porcelain", "--", *paths], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    return [line for line in out.splitlines() if line.strip()]


def _copy_worktree(destination: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)


def _environment(copy: Path, target: Target | None) -> dict[str, str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env["PYTHONPATH"] = os.pathsep.join([str(copy), *filter(None, [os.environ.get("PYTHONPATH")])])
    if target is not None:
        env.update(target.env)
    return env


def _pytest_command(target: Target) -> list[str]:
    seed = ["--hypothesis-seed=0"] if importlib.util.find_spec("hypothesis") else []
    return [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *seed, *target.pytest_args,
            *target.tests]


def _run(command: list[str], copy: Path, env: dict[str, str], timeout: float | None, log=subprocess.DEVNULL):
    """(return code or None on timeout, seconds); the whole process group goes on a timeout or an interrupt."""
    shutil.rmtree(copy / ".hypothesis", ignore_errors=True)  # no example saved by one mutant replays in the next
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=copy, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        code = None
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return code, time.perf_counter() - start


def _check_imports(copy: Path) -> None:
    """The copy's packages, not the source tree's or an installed one, are what the tests import."""
    probe = "import converters, hardware_profiles, neuro; print(neuro.__file__, hardware_profiles.__file__, " \
            "converters.__file__)"
    out = subprocess.run([sys.executable, "-c", probe], cwd=copy, env=_environment(copy, None), capture_output=True,
                         text=True, check=True).stdout.split()
    stray = [f for f in out if not Path(f).resolve().is_relative_to(copy.resolve())]
    if stray:
        raise SystemExit(f"the copy does not shadow the installed packages: {stray}")


def mutate_module(target: Target, mutants: list[Mutant], copy: Path, equivalents: list[dict],
                  report=print) -> tuple[list[Outcome], float]:
    """Run ``target``'s tests against each mutant in ``copy``; the copy's file is restored after each."""
    file = copy / target.path
    original = file.read_text()
    lines = original.splitlines()
    env = _environment(copy, target)
    command = _pytest_command(target)
    with tempfile.TemporaryFile() as log:
        code, baseline = _run(command, copy, env, timeout=None, log=log)
        if code != 0:
            log.seek(0)
            raise SystemExit(f"{target.path}: the tests fail unmutated (exit {code}):\n"
                             f"{log.read().decode(errors='replace')[-4000:]}")
    timeout = max(TIMEOUT_FACTOR * baseline, MIN_TIMEOUT_S)
    report(f"{target.path}: {len(mutants)} mutants; tests {baseline:.1f} s unmutated, timeout {timeout:.0f} s")
    outcomes = []
    for number, mutant in enumerate(mutants, 1):
        source_line = lines[mutant.line - 1]
        try:
            file.write_text(mutant.apply(original))
            code, seconds = _run(command, copy, env, timeout)
        finally:
            file.write_text(original)
        status = "timeout" if code is None else "survived" if code == 0 else "killed"
        entry = _equivalent(equivalents, mutant, source_line) if status == "survived" else None
        if entry is not None:
            status = "equivalent"
        outcomes.append(Outcome(mutant, status, round(seconds, 2), source_line.strip(),
                                entry["reason"] if entry else ""))
        report(f"  [{number}/{len(mutants)}] {mutant.where} {mutant.change}: {status} ({seconds:.1f} s)")
    return outcomes, baseline


def summary(outcomes_by_module: dict[str, list[Outcome]], equivalents: list[dict]) -> str:
    """The table per module, then every survivor (file:line, change, the line) and any stale equivalence."""
    rows = [("module", "mutants", "killed", "timed out", "equivalent", "survived", "score")]
    for path, outcomes in outcomes_by_module.items():
        counts = {s: sum(o.status == s for o in outcomes) for s in ("killed", "timeout", "equivalent", "survived")}
        relevant = len(outcomes) - counts["equivalent"]
        score = f"{100 * (counts['killed'] + counts['timeout']) / relevant:.0f} %" if relevant else "-"
        rows.append((path, len(outcomes), counts["killed"], counts["timeout"], counts["equivalent"],
                     counts["survived"], score))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    text = ["  ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w) for i, (v, w) in enumerate(zip(row, widths,
                                                                                                      strict=True)))
            for row in rows]
    survivors = [o for outcomes in outcomes_by_module.values() for o in outcomes if o.status == "survived"]
    text.append("(score: the killed and timed-out share of the mutants not judged equivalent)")
    if survivors:
        text.append("\nsurvivors:")
        text += [f"  {o.mutant.where}:{o.mutant.col + 1}  {o.mutant.change:<16}  {o.source_line}" for o in survivors]
    killed_equivalents = [o for outcomes in outcomes_by_module.values() for o in outcomes
                          if o.status in ("killed", "timeout") and _equivalent(equivalents, o.mutant, o.source_line)]
    if killed_equivalents:
        text.append("\nlisted as equivalent but killed (remove them from tools/mutants_equivalent.toml):")
        text += [f"  {o.mutant.where}  {o.mutant.change}  {o.source_line}" for o in killed_equivalents]
    stale = [e for e in equivalents if e["path"] in outcomes_by_module
             and not any(_matches(e, o.mutant, o.source_line) for o in outcomes_by_module[e["path"]])]
    if stale:
        text.append("\nlisted as equivalent but no such mutant now (the line changed?):")
        text += [f"  {e['path']}  {e['change']}  {e['line']}" for e in stale]
    return "\n".join(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", metavar="PATH",
                        help="a module to mutate (repeatable); default: all of them")
    parser.add_argument("--limit", type=int, metavar="N", help="at most N mutants per module (the first in the file)")
    parser.add_argument("--every", type=int, default=1, metavar="K",
                        help="only every K-th mutant of each module: a sample spread over the whole file, for a "
                             "module too slow to run whole (the summary then counts the sample)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every mutant and its outcome here")
    parser.add_argument("--list", action="store_true", help="list the mutants and run nothing")
    args = parser.parse_args(argv)
    if args.every < 1:
        parser.error(f"--every must be at least 1, got {args.every}")

    by_path = {t.path: t for t in TARGETS}
    unknown = [m for m in args.module or [] if m not in by_path]
    if unknown:
        parser.error(f"no test table for {unknown}; known modules: {sorted(by_path)}")
    targets = [by_path[m] for m in args.module] if args.module else list(TARGETS)
    plans = {}
    for target in targets:
        mutants = mutants_of((ROOT / target.path).read_text(), target.path)[::args.every]
        plans[target.path] = mutants[:args.limit] if args.limit is not None else mutants
    if args.list:
        for mutants in plans.values():
            for m in mutants:
                print(f"{m.where}:{m.col + 1}  {m.operator:<10}  {m.change}")
        return 0
    dirty = _git_modified([t.path for t in targets])
    if dirty:
        raise SystemExit("refusing to start: a module to mutate is modified or untracked (commit or stash it):\n"
                         + "\n".join(dirty))

    equivalents = load_equivalents()
    start = time.perf_counter()
    results, baselines = {}, {}
    with tempfile.TemporaryDirectory(prefix="neuro-mutants-") as scratch:
        copy = Path(scratch)
        _copy_worktree(copy)
        _check_imports(copy)
        subprocess.run([sys.executable, *WARM_UP], cwd=copy, env=_environment(copy, None), check=True,
                       stdout=subprocess.DEVNULL)
        for target in targets:
            results[target.path], baselines[target.path] = mutate_module(
                target, plans[target.path], copy, equivalents, report=lambda line: print(line, flush=True))
    wall = time.perf_counter() - start
    print()
    print(summary(results, equivalents))
    print(f"\nwall time {wall:.0f} s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "command": " ".join(["tools/mutants.py", *(argv if argv is not None else sys.argv[1:])]),
            "wall_s": round(wall, 1),
            "modules": {path: {"tests": list(by_path[path].tests), "baseline_s": round(baselines[path], 2),
                               **{s: sum(o.status == s for o in outs)
                                  for s in ("killed", "timeout", "equivalent", "survived")},
                               "mutants": len(outs)}
                        for path, outs in results.items()},
            "mutants": [{**asdict(o.mutant), "change": o.mutant.change, "status": o.status, "seconds": o.seconds,
                         "source_line": o.source_line, "reason": o.reason}
                        for outs in results.values() for o in outs],
        }, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
