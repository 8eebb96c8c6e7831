"""Map a graph onto a chip profile: quantise, partition into cores, place, route.

``map_to_profile(graph, profile)`` returns a :class:`Mapped` value: the graph
with weights and thresholds quantised to the chip's precision, the core of every
neuron, cores and chips used, utilisation, per-neuron routing costs, and every
broken limit as a :class:`Violation` (node, rule, detail). Nothing is silently
clipped or dropped: a network that does not fit still maps (so its accuracy and
energy can be measured) and says why it does not fit.

Partitioning is greedy, population by population in run order: each core takes
as many consecutive neurons (channel-major order) as its neuron, fan-in (distinct
presynaptic sources) and synapse-memory limits allow. Convolutions count the
explicit synapses a chip must store unless the chip shares kernels. Cores are
placed in order on the chip's router mesh, chips side by side; a spike costs one
unicast route per distinct target core, with Manhattan hops and a crossing per
chip boundary.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from hardware_profiles import HardwareProfile
from hardware_profiles.quantize import step_for, to_codebook, to_fixed
from neuro import ir
from neuro.plan import plan
from neuro.structure import connectivity

__all__ = ["Violation", "Mapped", "map_to_profile", "check_support", "lowered_kinds", "quantise", "partition", "place",
           "route"]


@dataclass(frozen=True)
class Violation:
    node: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.node}: {self.rule}: {self.detail}"


@dataclass(frozen=True, eq=False)
class Mapped:
    """A graph placed on a chip profile."""

    profile: str
    graph: ir.Graph  # quantised
    core_of: dict[str, np.ndarray]  # population -> global core id of each neuron
    cores: int
    chips: int
    utilisation: dict[str, float]
    routes: dict[str, np.ndarray]  # population -> distinct other cores each neuron's spikes reach
    hops: dict[str, np.ndarray]  # population -> mesh hops of one spike of each neuron
    crossings: dict[str, np.ndarray]  # population -> chip boundaries one spike crosses
    violations: tuple[Violation, ...]
    notes: tuple[str, ...]

    @property
    def fits(self) -> bool:
        return not self.violations

    def cores_of(self, population: str) -> int:
        """Cores a population occupies (0 for the input, which lives off the cores)."""
        ids = self.core_of.get(population)
        return 0 if ids is None else int(np.unique(ids).size)

    def traffic(self, counts_by_population: dict[str, np.ndarray]) -> dict[str, float]:
        """Routed events, hops and chip crossings for per-neuron spike counts.

        Integer counts (totals over a run) give exact integers; the route tables
        are integers, so no rounding enters until a caller divides by samples.
        """
        exact = all(np.asarray(c).dtype.kind in "iub" for c in counts_by_population.values())
        totals = np.zeros(3, np.int64 if exact else np.float64)
        for name, counts in counts_by_population.items():
            if name in self.routes:
                counts = np.asarray(counts, totals.dtype).ravel()
                totals += [counts @ self.routes[name], counts @ self.hops[name], counts @ self.crossings[name]]
        return dict(zip(("routed_events", "hops", "chip_crossings"), totals.tolist(), strict=True))


# --------------------------------------------------------------------------- quantisation


def quantise(graph: ir.Graph, profile: HardwareProfile) -> tuple[ir.Graph, list[str]]:
    """Weights to the chip's weight precision (and sharing), thresholds and biases to its grid."""
    structure = profile.structure
    bits = structure.weight_bits
    state_bits = structure.state_bits or 32
    nodes = dict(graph.nodes)
    notes: list[str] = []
    steps: dict[str, float] = {}
    for name, node in graph.nodes.items():
        if isinstance(node, ir.Dense | ir.Conv2d):
            if structure.weight_sharing == "axon_types":  # the profile loader holds weight_bits >= 2
                weight = to_codebook(node.weight, levels=4, bits=bits)
                step = step_for(node.weight, bits)
            else:
                weight, step = to_fixed(node.weight, bits)
            bias, _ = to_fixed(node.bias, state_bits, step)
            nodes[name] = dataclasses.replace(node, weight=weight, bias=bias)
            steps[name] = step
        elif isinstance(node, ir.Sparse):
            weight, steps[name] = to_fixed(node.weight, bits)
            nodes[name] = dataclasses.replace(node, weight=weight)
        elif isinstance(node, ir.Scale):
            scale, steps[name] = to_fixed(node.scale, bits)
            nodes[name] = dataclasses.replace(node, scale=scale)
    if structure.weight_sharing == "axon_types":
        notes.append("weights use a 4-level codebook per neuron (TrueNorth axon types); the per-core sharing of "
                     "an axon's type is not enforced")
    for name in graph.populations:
        node = graph.nodes[name]
        incoming = [steps[n] for n in _weight_nodes_into(graph, name) if n in steps]
        if not incoming or isinstance(node, ir.GRADED_TYPES):  # graded: the send threshold is not on the grid
            continue
        step = min(incoming)  # the finest grid among the synapses it sums
        threshold = np.maximum(np.round(node.v_threshold / step), 1) * step
        if structure.threshold_bits is not None:
            limit = (2 ** structure.threshold_bits - 1) * step
            if np.any(threshold > limit):
                notes.append(f"{name}: thresholds above the {structure.threshold_bits}-bit range were clipped")
                threshold = np.minimum(threshold, limit)
        changes = {"v_threshold": threshold, "v_initial": np.round(node.v_initial / step) * step}
        if hasattr(node, "v_reset"):
            changes["v_reset"] = np.round(node.v_reset / step) * step
        nodes[name] = dataclasses.replace(node, **changes)
    quantised = ir.Graph(nodes=nodes, edges=graph.edges,
                         metadata={**graph.metadata, "quantised_for": profile.name})
    return quantised, notes


def _weight_nodes_into(graph: ir.Graph, population: str) -> list[str]:
    """The weighted linear nodes on the chains that end at a population."""
    found, stack = [], list(graph.predecessors(population))
    while stack:
        name = stack.pop()
        node = graph.nodes[name]
        if isinstance(node, (ir.Input, *ir.NEURON_TYPES)):
            continue
        if isinstance(node, ir.Dense | ir.Conv2d | ir.Sparse | ir.Scale):
            found.append(name)
        stack.extend(graph.predecessors(name))
    return found


# --------------------------------------------------------------------------- mapping


def _kinds(graph: ir.Graph) -> dict[str, list[str]]:
    kinds: dict[str, list[str]] = {}
    for name, node in graph.nodes.items():
        if not isinstance(node, ir.Input):
            kinds.setdefault(type(node).__name__, []).append(name)
    return kinds


def _partition(n: int, fits) -> list[tuple[int, int]]:
    """Greedy consecutive chunks: the largest [a, b) with fits(a, b), one neuron at least."""
    chunks, a = [], 0
    while a < n:
        lo, hi = a + 1, n
        if not fits(a, lo):
            chunks.append((a, lo))
            a = lo
            continue
        while lo < hi:  # limits are monotone in the chunk size: binary search
            mid = (lo + hi + 1) // 2
            if fits(a, mid):
                lo = mid
            else:
                hi = mid - 1
        chunks.append((a, lo))
        a = lo
    return chunks


def map_to_profile(graph: ir.Graph, profile: HardwareProfile) -> Mapped:
    """Quantise and place a graph on a neuromorphic profile; limits broken become violations.

    Five phases, each a function of its own: :func:`check_support` (node kinds, graded
    spikes, delays), :func:`quantise`, :func:`partition` (neurons into cores),
    :func:`place` (cores onto chips and the router mesh) and :func:`route` (each
    neuron's targets, hops and chip crossings). A limit is checked in the phase that
    knows its quantity, and nowhere else.
    """
    if profile.kind != "neuromorphic" or profile.structure is None:
        raise ValueError(f"profile {profile.name!r} is an ANN baseline; map onto a neuromorphic profile")
    limits = profile.structure
    violations, notes = check_support(graph, profile)
    quantised, quantise_notes = quantise(graph, profile)
    notes.extend(quantise_notes)
    the_plan = plan(graph)
    links = connectivity(graph, the_plan)
    core_of, cores, partition_violations = partition(graph, limits, links, the_plan.order,
                                                     shares_kernels=_shares_kernels(profile))
    chips, position, place_violations = place(cores, limits)
    routes, hops, crossings, route_violations = route(graph, limits, links, core_of, cores, position)
    violations += partition_violations + place_violations + route_violations
    neurons = sum(int(np.prod(graph.shapes[p])) for p in graph.populations)
    utilisation = {
        "neurons_per_core": neurons / (cores * limits.neurons_per_core) if cores else 0.0,
        "cores_of_chips": cores / (chips * limits.cores_per_chip),
    }
    return Mapped(profile=profile.name, graph=quantised, core_of=core_of, cores=cores, chips=chips,
                  utilisation=utilisation, routes=routes, hops=hops, crossings=crossings,
                  violations=tuple(violations), notes=tuple(notes))


# Linear maps a chip's toolchain stores as explicit synapses when the chip has no layer of their kind
# (a convolution or pooling window is a fixed sparse matrix; flattening is wiring); it needs a chip
# that stores explicit synapses at all.
LOWERABLE = frozenset({"Conv1d", "Conv2d", "AvgPool1d", "AvgPool2d", "Scale", "Flatten"})
EXPLICIT = frozenset({"Dense", "Sparse"})
# What to use instead of a construct that cannot be lowered to synapses
INSTEAD = {"MaxPool1d": "average pooling (retrain with AvgPool1d) or a chip that lists MaxPool1d",
           "MaxPool2d": "average pooling (retrain with AvgPool2d) or a chip that lists MaxPool2d",
           "SigmaDelta": "a binary-spike conversion (--lstm binary or --lstm rate) or a chip with graded spikes",
           "Product": "a binary-spike conversion (--lstm binary or --lstm rate) or a chip that lists Product"}


def lowered_kinds(profile: HardwareProfile) -> frozenset[str]:
    """Linear kinds the chip lacks but stores as explicit synapses (none on a chip without them)."""
    return LOWERABLE - profile.supports if EXPLICIT & profile.supports else frozenset()


def check_support(graph: ir.Graph, profile: HardwareProfile) -> tuple[list[Violation], list[str]]:
    """Phase 1: what the chip can run at all: node kinds, graded spikes, synaptic delays.

    A convolution, a pooling window or a scaling on a chip without that kind is lowered to explicit
    synapses, as the chip's toolchain would (partition then judges its fit on those synapses), and
    noted; a kind that cannot be lowered is a violation whose detail says what to use instead."""
    limits = profile.structure
    violations: list[Violation] = []
    notes: list[str] = []
    lowered = lowered_kinds(profile)
    for kind, names in _kinds(graph).items():
        if kind in profile.supports:
            continue
        if kind in lowered:
            if kind != "Flatten":
                notes.append(f"{', '.join(names)}: {kind} lowered to explicit synapses ({profile.name} has no "
                             f"{kind}); fan-in and synapse memory are judged on those synapses")
            continue
        instead = INSTEAD.get(kind, f"a chip that lists {kind}")
        for name in names:
            violations.append(Violation(name, "unsupported_kind",
                                        f"{kind} is not supported by {profile.name} "
                                        f"(supports {', '.join(sorted(profile.supports))}); use {instead}"))
    graded = [name for name, node in graph.nodes.items() if isinstance(node, ir.GRADED_TYPES)]
    if graded and not limits.graded_spikes:
        violations.append(Violation(", ".join(graded), "graded_spikes",
                                    f"{profile.name} sends binary spikes only; use a binary-spike "
                                    "conversion (--lstm binary or --lstm rate) or a chip with graded spikes"))
    signed = [name for name, node in graph.nodes.items() if getattr(node, "signed", False)]
    if signed and not limits.graded_spikes:  # a negative event is a graded one: a payload of -1
        violations.append(Violation(", ".join(signed), "negative_events",
                                    f"signed neurons send negative spikes, and {profile.name} sends only positive "
                                    "binary ones; convert without --signed-neurons (or use a chip with graded "
                                    "spikes)"))
    if not limits.graded_spikes:
        notes.append("analog input arrives as graded events; on this binary-spike chip feed rate-coded input "
                     "(neuro run --input poisson) or compute the first layer off-chip")
    for name, node in graph.nodes.items():
        if isinstance(node, ir.Sparse) and limits.max_delay_steps is not None and node.delay.size \
                and node.delay.max() > limits.max_delay_steps:
            violations.append(Violation(name, "delay", f"delay {int(node.delay.max())} steps exceeds the "
                                                       f"chip's {limits.max_delay_steps}"))
    return violations, notes


def _shares_kernels(profile: HardwareProfile) -> bool:
    """A convolution stores one kernel per output channel only on a chip that shares kernels and hosts it."""
    return profile.structure.weight_sharing == "conv_kernel" and "Conv2d" in profile.supports


def partition(graph: ir.Graph, limits, links, order, *, shares_kernels: bool
              ) -> tuple[dict[str, np.ndarray], int, list[Violation]]:
    """Phase 3: consecutive neurons of each population (in run ``order``) into cores, greedily, within the
    per-core limits (neurons, distinct presynaptic sources, synapse memory); the per-neuron fan-in limit is
    checked here. ``shares_kernels`` (:func:`_shares_kernels`) stores a convolution as one kernel per output
    channel, otherwise as its explicit synapses."""
    incoming = {p: [(proj, m) for proj, m in links if proj.target == p] for p in graph.populations}
    synapse_cost = _synapse_cost_function(graph, limits, shares_kernels)
    violations: list[Violation] = []
    core_of: dict[str, np.ndarray] = {}
    next_core = 0
    for name in (n for n in order if n in graph.populations):
        n = int(np.prod(graph.shapes[name]))
        rows = incoming[name]
        fan_in = sum((m.getnnz(axis=1) for _, m in rows), np.zeros(n, np.int64))
        if limits.fan_in_per_neuron is not None and fan_in.max(initial=0) > limits.fan_in_per_neuron:
            over = int((fan_in > limits.fan_in_per_neuron).sum())
            violations.append(Violation(name, "fan_in_per_neuron",
                                        f"{over} neurons have fan-in up to {int(fan_in.max())} > "
                                        f"{limits.fan_in_per_neuron}"))

        def fits(a, b, rows=rows, name=name):
            if b - a > limits.neurons_per_core:
                return False
            if limits.fan_in_per_core is not None:
                sources = sum(len(np.unique(m[a:b].indices)) for _, m in rows)
                if sources > limits.fan_in_per_core:
                    return False
            return synapse_cost(rows, a, b, name)

        ids = np.empty(n, np.int64)
        overfull = 0
        for a, b in _partition(n, fits):
            ids[a:b] = next_core
            overfull += not fits(a, b)
            next_core += 1
        if overfull:
            violations.append(Violation(name, "core_limits", f"{overfull} neurons each exceed a core's fan-in or "
                                                             "synapse memory on their own"))
        core_of[name] = ids
    return core_of, next_core, violations


def place(cores: int, limits) -> tuple[int, np.ndarray, list[Violation]]:
    """Phase 4: cores in order onto chips side by side; the chip count limit is checked here."""
    chips = max(1, -(-cores // limits.cores_per_chip))
    violations = []
    if chips > limits.max_chips:
        violations.append(Violation("network", "chips", f"needs {chips} chips ({cores} cores); the system has "
                                                        f"{limits.max_chips}"))
    return chips, _positions(cores, limits), violations


def route(graph: ir.Graph, limits, links, core_of: dict[str, np.ndarray], cores: int, position: np.ndarray):
    """Phase 5: per neuron, the distinct other cores its spikes reach, their mesh hops and chip crossings
    (integers); the fan-out limit (destination cores per neuron) is checked here."""
    violations: list[Violation] = []
    routes, hops, crossings = {}, {}, {}
    for name in graph.populations:
        n = core_of[name].size
        pairs_src, pairs_core = [], []
        for proj, m in links:
            if proj.source != name:
                continue
            by_source = m.T.tocsr()
            src = np.repeat(np.arange(n), np.diff(by_source.indptr))
            pairs_src.append(src)
            pairs_core.append(core_of[proj.target][by_source.indices])
        if pairs_src:
            src = np.concatenate(pairs_src)
            dst = np.concatenate(pairs_core)
            key = np.unique(src * max(cores, 1) + dst)
            src, dst = key // max(cores, 1), key % max(cores, 1)
        else:
            src = dst = np.zeros(0, np.int64)
        own = core_of[name][src]
        distinct = np.bincount(src, minlength=n)
        if limits.fan_out_cores_per_neuron is not None and distinct.max(initial=0) > limits.fan_out_cores_per_neuron:
            violations.append(Violation(name, "fan_out", f"{int((distinct > limits.fan_out_cores_per_neuron).sum())} "
                                                         f"neurons reach up to {int(distinct.max())} cores; the chip "
                                                         f"allows {limits.fan_out_cores_per_neuron}"))
        other = dst != own
        distance = np.abs(position[dst] - position[own]).sum(axis=1)
        chip_gap = np.abs(dst // limits.cores_per_chip - own // limits.cores_per_chip)
        routes[name] = np.bincount(src[other], minlength=n).astype(np.int64)
        hops[name] = np.bincount(src[other], weights=distance[other], minlength=n).round().astype(np.int64)
        crossings[name] = np.bincount(src[other], weights=chip_gap[other], minlength=n).round().astype(np.int64)
    return routes, hops, crossings, violations


def _synapse_cost_function(graph: ir.Graph, limits, shares_kernels: bool):
    """A predicate: do the synapses of neurons [a, b) fit one core's synapse memory?"""
    if limits.synapses_per_core is None and limits.synapse_bits_per_core is None:
        return lambda rows, a, b, name: True
    capacity = limits.synapses_per_core
    if capacity is None:
        capacity = limits.synapse_bits_per_core // limits.weight_bits

    def stored(rows, a, b, name):
        total = 0
        for proj, m in rows:
            conv = next((graph.nodes[c] for c in proj.chain if isinstance(graph.nodes[c], ir.Conv2d)), None)
            if conv is not None and shares_kernels:
                shape = graph.shapes[name]
                per_channel = int(np.prod(shape[1:]))
                channels = (b - 1) // per_channel - a // per_channel + 1
                total += channels * int(np.prod(conv.weight.shape[1:]))  # one kernel per output channel
            else:
                total += int(m.indptr[b] - m.indptr[a])
        return total <= capacity

    return stored


def _positions(cores: int, limits) -> np.ndarray:
    """(x, y) of each core's router; chips are laid side by side along x."""
    ids = np.arange(max(cores, 1))
    chip, local = ids // limits.cores_per_chip, ids % limits.cores_per_chip
    router = local // limits.cores_per_router
    x = router % limits.mesh_x + chip * limits.mesh_x
    y = router // limits.mesh_x
    return np.stack([x, y], axis=1)
