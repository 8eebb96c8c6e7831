"""The package layout keeps its promises: no import cycle, every core module in the layers contract,
the kernel's table codes defined once."""

import pkgutil
import tomllib
from pathlib import Path

import grimp

import neuro
from neuro import compile as compiler
from neuro import table_codes as layout
from neuro.engine import kernels
from neuro.plan import ConvGeometry

ROOT = Path(__file__).resolve().parents[1]


def _cycles(graph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), i.e. import cycles."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in graph.find_modules_directly_imported_by(module):
            if other not in graph.modules:
                continue
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_anywhere():
    graph = grimp.build_graph("neuro", "converters", "hardware_profiles")
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    class Graph:  # a -> b -> c -> a, and d alone
        modules = {"a", "b", "c", "d"}
        edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}

        def find_modules_directly_imported_by(self, module):
            return self.edges[module]

    assert _cycles(Graph()) == [["a", "b", "c"]]


def test_every_core_module_is_a_layer_below_the_application():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    assert contract["layers"][:2] == ["neuro.app", "converters"]
    core = {name.strip() for name in contract["layers"][2].split(":")}
    modules = {f"neuro.{m.name}" for m in pkgutil.iter_modules(neuro.__path__) if m.name != "app"}
    assert core == modules


def test_the_kernel_codes_are_defined_once():
    for name in ("KIND_INPUT", "KIND_NEURON", "KIND_SIGMA_DELTA", "KIND_PRODUCT",
                 "CORE_IDENTITY", "CORE_DENSE", "CORE_CONV", "CORE_SYNAPSES"):
        for module in (kernels, compiler):  # where a module uses a code, it is the shared one
            assert getattr(module, name, getattr(layout, name)) is getattr(layout, name)
    assert kernels.CORE_CONV is layout.CORE_CONV and compiler.KIND_PRODUCT is layout.KIND_PRODUCT
    codes = [layout.KIND_INPUT, layout.KIND_NEURON, layout.KIND_SIGMA_DELTA, layout.KIND_PRODUCT]
    assert len(set(codes)) == 4
    assert len({layout.CORE_IDENTITY, layout.CORE_DENSE, layout.CORE_CONV, layout.CORE_SYNAPSES}) == 4
    assert ConvGeometry._fields == layout.CONV_FIELD_NAMES and layout.CONV_FIELDS == 15
