"""Graph -> CompiledNetwork: flat arrays the engine's kernels can run.

Compilation has two steps, kept apart so that the reference engine can share the
first and check the second:

1. :func:`plan` finds the *projections*: every path ``source -> linear maps ->
   population`` (a source is an :class:`~neuro.ir.Input` or a population) and
   orders sources and populations so that same-step (delay 0) projections run
   forward in the order of the list.
2. :func:`compile_network` lowers every projection to the kernel's form: an
   explicit *pre-map* (pooling, flattening, scaling: a few entries per source
   neuron) followed by one *core* -- identity, a dense matrix row, a shared
   convolution kernel, or explicit synapses. Conv layers stay kernels: a spike is
   scattered through the weights directly and never expanded into synapses.

Accepted chains are ``[AvgPool | Flatten | Scale]* [Dense | Conv | Sparse]? [Flatten]*``, or
``MaxPool [Flatten | Scale]* [Dense | Conv | Sparse]? [Flatten]*`` (a max-pool gate first);
anything else (two weight layers with no population between them) is refused with
a message that says to place a neuron population between them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
from scipy import sparse as sp

from neuro import ir
from neuro.ops import chain_bias

__all__ = [
    "compile_network", "plan", "CompiledNetwork", "Plan", "Projection", "LatencyModel",
    "LATENCY_MODELS", "index_matrix", "conv_geometry", "ConvGeometry",
]

LatencyModel = Literal["same-step", "pipelined"]
LATENCY_MODELS: dict[str, int] = {"same-step": 0, "pipelined": 1}

KIND_INPUT, KIND_NEURON, KIND_SIGMA_DELTA, KIND_PRODUCT = 0, 1, 2, 3
ACTIVATION_CODES = {name: code for code, name in enumerate(ir.ACTIVATIONS)}
CORE_IDENTITY, CORE_DENSE, CORE_CONV, CORE_SYNAPSES = 0, 1, 2, 3
CONV_FIELDS = 15  # the fields of ConvGeometry

_INDEX_OPS = (ir.AvgPool1d, ir.AvgPool2d, ir.Flatten, ir.Scale)
_CORE_OPS = (ir.Dense, ir.Conv1d, ir.Conv2d, ir.Sparse)


@dataclass(frozen=True)
class Projection:
    """One path of linear maps from a source to a population."""

    source: str
    chain: tuple[str, ...]
    target: str
    base_delay: int

    def min_delay(self, graph: ir.Graph) -> int:
        delays = [int(graph.nodes[n].delay.min()) for n in self.chain
                  if isinstance(graph.nodes[n], ir.Sparse) and graph.nodes[n].delay.size]
        return self.base_delay + (min(delays) if delays else 0)


@dataclass(frozen=True)
class Plan:
    """Sources and populations in run order, and the projections between them."""

    order: tuple[str, ...]
    projections: tuple[Projection, ...]
    latency_model: str


def plan(graph: ir.Graph, latency_model: LatencyModel = "same-step") -> Plan:
    """Find every projection and a run order valid for same-step delivery."""
    if latency_model not in LATENCY_MODELS:
        raise ValueError(f"latency_model must be one of {sorted(LATENCY_MODELS)}, got {latency_model!r}")
    base = LATENCY_MODELS[latency_model]
    sources = graph.inputs + graph.populations
    projections: list[Projection] = []

    def walk(source: str, node: str, chain: tuple[str, ...]) -> None:
        for nxt in graph.successors(node):
            if isinstance(graph.nodes[nxt], ir.NEURON_TYPES):
                projections.append(Projection(source, chain, nxt, base))
            else:
                walk(source, nxt, (*chain, nxt))

    for source in sources:
        walk(source, source, ())
    for projection in projections:
        _check_chain(graph, projection)
    # Order: inputs first, then populations so that every same-step (delay 0)
    # projection points forward. Kahn's algorithm, ties kept in declaration order.
    immediate = {(p.source, p.target) for p in projections if p.min_delay(graph) == 0}
    remaining = list(sources)
    order: list[str] = []
    while remaining:
        ready = [n for n in remaining
                 if not any((s, n) in immediate for s in remaining if s != n) and (n, n) not in immediate]
        if not ready:
            raise ValueError(
                f"populations {remaining} form a cycle of same-step (delay 0) projections; give "
                "one of its synapses a delay >= 1 or compile with latency_model='pipelined'"
            )
        first = ready[0]
        order.append(first)
        remaining.remove(first)
    return Plan(tuple(order), tuple(projections), latency_model)


def _check_chain(graph: ir.Graph, projection: Projection) -> None:
    stage = 0  # 0: index ops, 1: after the core (only Flatten may follow)
    gated = False
    for position, name in enumerate(projection.chain):
        node = graph.nodes[name]
        if position == 0 and isinstance(node, ir.GATE_TYPES):
            gated = True
            continue
        if gated and stage == 0 and isinstance(node, (ir.AvgPool2d, *ir.GATE_TYPES)):
            raise ValueError(
                f"{type(node).__name__} {name!r} follows a max-pool gate in the same projection; only "
                "Flatten and Scale may come between a gate and its weight layer"
            )
        if stage == 0 and isinstance(node, _INDEX_OPS):
            continue
        if stage == 0 and isinstance(node, _CORE_OPS):
            stage = 1
            continue
        if stage == 1 and isinstance(node, ir.Flatten):
            continue
        path = " -> ".join((projection.source, *projection.chain, projection.target))
        raise ValueError(
            f"the path {path} applies {type(node).__name__} {name!r} after another weight layer with "
            "no neuron population between them; fuse the two layers or insert a population"
        )


# --------------------------------------------------------------------------- arrays


class Populations(NamedTuple):
    start: np.ndarray  # int64[P] first global index
    stop: np.ndarray  # int64[P]
    kind: np.ndarray  # int64[P] KIND_INPUT, KIND_NEURON, KIND_SIGMA_DELTA or KIND_PRODUCT
    drive_column: np.ndarray  # int64[P] first drive column of an input, -1 for neurons
    proj_ptr: np.ndarray  # int64[P+1] outgoing projections of p: proj_list[proj_ptr[p]:proj_ptr[p+1]]
    proj_list: np.ndarray  # int64[J]


class Neurons(NamedTuple):
    """Per neuron, over all populations (input entries are unused)."""

    a_syn: np.ndarray
    w_in: np.ndarray
    a_mem: np.ndarray
    leak: np.ndarray  # (1 - a_mem) * v_leak
    r: np.ndarray
    bias: np.ndarray
    v_threshold: np.ndarray
    v_reset: np.ndarray
    subtract: np.ndarray  # bool
    v_initial: np.ndarray
    activation: np.ndarray  # int64, graded populations: code of ir.ACTIVATIONS
    accumulate: np.ndarray  # bool, graded populations: inputs are changes (True) or values


class Projections(NamedTuple):
    target_start: np.ndarray  # int64[J]
    core: np.ndarray  # int64[J]
    delay: np.ndarray  # int64[J] base delay
    n_out: np.ndarray  # int64[J] row length of a dense core
    pre_ptr: np.ndarray  # int64[J] offset of the projection's indptr in pre_indptr
    pre_indptr: np.ndarray  # int64
    pre_index: np.ndarray  # int64
    pre_weight: np.ndarray  # float64
    weight_offset: np.ndarray  # int64[J] into weights
    weights: np.ndarray  # float64, dense rows (n_mid, n_out) and conv kernels
    conv: np.ndarray  # int64[J, CONV_FIELDS]
    syn_ptr: np.ndarray  # int64[J] offset of the projection's indptr in syn_indptr
    syn_indptr: np.ndarray
    syn_target: np.ndarray
    syn_weight: np.ndarray
    syn_delay: np.ndarray
    gate: np.ndarray  # int64[J] 1 if the projection starts with a max-pool gate
    gate_offset: np.ndarray  # int64[J] first slot of its windows' passed counts (per-sample state)


@dataclass(frozen=True, eq=False)
class CompiledNetwork:
    """What the engine runs: a plan plus its lowered arrays."""

    graph: ir.Graph
    plan: Plan
    populations: Populations
    neurons: Neurons
    projections: Projections
    names: tuple[str, ...]  # population names in run order (row p of ``populations``)
    dt: float
    max_delay: int
    gate_windows: int  # max-pool windows over all gated projections (per-sample state)

    @property
    def latency_model(self) -> str:
        return self.plan.latency_model

    @property
    def n_neurons(self) -> int:
        return int(self.populations.stop[-1])

    @property
    def n_inputs(self) -> int:
        return sum(int(np.prod(self.graph.shapes[n])) for n in self.graph.inputs)

    @property
    def latency_steps(self) -> int:
        """Steps an input needs to reach the output: the largest sum of delays along a path."""
        reach = {name: 0 for name in self.graph.inputs}
        for name in self.names:  # run order: sources of forward projections come first
            for p in self.plan.projections:
                if p.target == name and p.source in reach and self.names.index(p.source) < self.names.index(name):
                    reach[name] = max(reach.get(name, 0), reach[p.source] + p.min_delay(self.graph))
        return int(reach.get(self.graph.output, 0))

    def slice_of(self, name: str) -> slice:
        p = self.names.index(name)
        return slice(int(self.populations.start[p]), int(self.populations.stop[p]))


def _kind(node) -> int:
    if isinstance(node, ir.Input):
        return KIND_INPUT
    if isinstance(node, ir.SigmaDelta):
        return KIND_SIGMA_DELTA
    if isinstance(node, ir.Product):
        return KIND_PRODUCT
    return KIND_NEURON


def _port(graph: ir.Graph, projection: Projection) -> int:
    """Which factor of a product a projection feeds (0 for every other population)."""
    target = graph.nodes[projection.target]
    if not isinstance(target, ir.Product):
        return 0
    tail = projection.chain[-1] if projection.chain else projection.source
    return target.factors.index(tail)


def _neuron_params(node, dt: float) -> dict[str, np.ndarray]:
    ones = np.ones(node.shape)
    if isinstance(node, ir.GRADED_TYPES):  # the threshold is the send threshold; no leak, no reset
        return {"v_threshold": node.threshold, "r": ones, "w_in": ones, "a_mem": ones,
                "activation": np.full(node.shape, ACTIVATION_CODES[getattr(node, "activation", "identity")]),
                "accumulate": np.full(node.shape, getattr(node, "accumulate", True))}
    match node:
        case ir.IF():
            a_syn, w_in, a_mem, v_leak = 0 * ones, ones, ones, 0 * ones
        case ir.LIF():
            a_syn, w_in, a_mem, v_leak = 0 * ones, ones, np.exp(-dt / node.tau), node.v_leak
        case ir.CubaLIF():
            a_syn, w_in = np.exp(-dt / node.tau_syn), node.w_in
            a_mem, v_leak = np.exp(-dt / node.tau_mem), node.v_leak
    return {
        "a_syn": a_syn, "w_in": w_in, "a_mem": a_mem, "leak": (1.0 - a_mem) * v_leak,
        "r": node.r, "v_threshold": node.v_threshold, "v_reset": node.v_reset,
        "subtract": np.full(node.shape, node.reset == "subtract"), "v_initial": node.v_initial,
    }


def index_matrix(node, in_shape: tuple[int, ...]) -> sp.csr_matrix:
    """Sparse (n_out, n_in) matrix of an index op, built from index arithmetic."""
    n_in = int(np.prod(in_shape))
    if isinstance(node, ir.Flatten):
        return sp.identity(n_in, format="csr")
    if isinstance(node, ir.Scale):
        return sp.diags(node.scale.ravel()).tocsr()
    # pooling: every (output position, window offset) pair inside the input; a
    # max-pool gate's entries have weight 1 and double as its window lists
    kernel, stride, padding = node.geometry_2d
    spatial = in_shape[1:] if len(in_shape) == 3 else (1, *in_shape[1:])
    channels, (h, w) = in_shape[0], spatial
    oh = (h + 2 * padding[0] - kernel[0]) // stride[0] + 1
    ow = (w + 2 * padding[1] - kernel[1]) // stride[1] + 1
    c, oy, ox, ky, kx = np.meshgrid(np.arange(channels), np.arange(oh), np.arange(ow),
                                    np.arange(kernel[0]), np.arange(kernel[1]), indexing="ij")
    y = oy * stride[0] - padding[0] + ky
    x = ox * stride[1] - padding[1] + kx
    inside = (y >= 0) & (y < h) & (x >= 0) & (x < w)
    rows = ((c * oh + oy) * ow + ox)[inside]
    cols = ((c * h + y) * w + x)[inside]
    weight = 1.0 if isinstance(node, ir.GATE_TYPES) else 1.0 / (kernel[0] * kernel[1])
    data = np.full(rows.size, weight)
    return sp.csr_matrix((data, (rows, cols)), shape=(channels * oh * ow, n_in))


class ConvGeometry(NamedTuple):
    """A convolution as a 2-D one (a 1-D convolution has height 1); field order is the kernel's."""

    c_in: int
    h: int
    w: int
    c_out: int
    oh: int
    ow: int
    kh: int
    kw: int
    sh: int
    sw: int
    ph: int
    pw: int
    dh: int
    dw: int
    groups: int


def conv_geometry(node: ir.Conv2d, in_shape, out_shape) -> ConvGeometry:
    if type(node) is ir.Conv1d:
        (c_in, w), (c_out, ow) = in_shape, out_shape
        return ConvGeometry(c_in, 1, w, c_out, 1, ow, 1, node.weight.shape[2], 1, node.stride[0], 0,
                            node.padding[0], 1, node.dilation[0], node.groups)
    (c_in, h, w), (c_out, oh, ow) = in_shape, out_shape
    return ConvGeometry(c_in, h, w, c_out, oh, ow, *node.weight.shape[2:], *node.stride, *node.padding,
                        *node.dilation, node.groups)


def compile_network(graph: ir.Graph, *, latency_model: LatencyModel = "same-step",
                    dt: float = 1e-3) -> CompiledNetwork:
    """Lower a graph to the engine's arrays.

    Parameters
    ----------
    graph
        The network.
    latency_model
        ``"same-step"``: every projection delivers within the step (delay 0, in
        run order; the software converters' convention). ``"pipelined"``: every
        projection adds one step (a hardware pipeline; the output lags by the
        network's depth). Explicit :class:`~neuro.ir.Sparse` delays add to either.
    dt
        Step length in seconds; sets the LIF decays ``exp(-dt / tau)``.
    """
    if not (isinstance(dt, int | float) and math.isfinite(dt) and dt > 0):
        raise ValueError(f"dt must be a positive number of seconds, got {dt!r}")
    the_plan = plan(graph, latency_model)
    shapes = graph.shapes
    sizes = {n: int(np.prod(shapes[n])) for n in the_plan.order}
    start = np.cumsum([0] + [sizes[n] for n in the_plan.order])
    position = {n: i for i, n in enumerate(the_plan.order)}
    n_total = int(start[-1])

    params = {k: np.zeros(n_total) for k in Neurons._fields}
    params["subtract"] = np.zeros(n_total, bool)
    params["accumulate"] = np.zeros(n_total, bool)
    params["activation"] = np.zeros(n_total, np.int64)
    params["v_threshold"][:] = np.inf
    drive_column = np.full(len(the_plan.order), -1, np.int64)
    column = 0
    for name in the_plan.order:
        node = graph.nodes[name]
        lo, hi = start[position[name]], start[position[name] + 1]
        if isinstance(node, ir.Input):
            drive_column[position[name]] = column
            column += sizes[name]
        else:
            for key, value in _neuron_params(node, float(dt)).items():
                params[key][lo:hi] = np.ravel(value)

    lowered = [_lower(graph, p, shapes) for p in the_plan.projections]
    for projection, low in zip(the_plan.projections, lowered, strict=True):
        lo = start[position[projection.target]]
        params["bias"][lo:lo + sizes[projection.target]] += low["bias"].ravel()

    by_source = sorted(range(len(lowered)), key=lambda j: position[the_plan.projections[j].source])
    counts = np.bincount([position[the_plan.projections[j].source] for j in by_source],
                         minlength=len(the_plan.order))
    populations = Populations(
        start=start[:-1].astype(np.int64), stop=start[1:].astype(np.int64),
        kind=np.array([_kind(graph.nodes[n]) for n in the_plan.order], np.int64),
        drive_column=drive_column,
        proj_ptr=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        proj_list=np.array(by_source, np.int64),
    )
    # a product's second factor accumulates in the ring's second half (its own port)
    projections = _pack(lowered, [int(start[position[p.target]]) + n_total * _port(graph, p)
                                  for p in the_plan.projections], the_plan.projections)
    max_delay = max([p.base_delay for p in the_plan.projections]
                    + [int(low["syn_delay"].max()) + p.base_delay
                       for p, low in zip(the_plan.projections, lowered, strict=True)
                       if low["syn_delay"].size], default=0)
    return CompiledNetwork(
        graph=graph, plan=the_plan, populations=populations, neurons=Neurons(**params),
        projections=projections, names=the_plan.order, dt=float(dt), max_delay=int(max_delay),
        gate_windows=int(sum(low["windows"] for low in lowered)),
    )


def _lower(graph: ir.Graph, projection: Projection, shapes) -> dict:
    """One projection as pre-map + core, and the constant current it adds."""
    n_src = int(np.prod(shapes[projection.source]))
    pre = sp.identity(n_src, format="csr")  # (n_mid, n_src)
    in_shape = shapes[projection.source]
    core_node, core_in_shape = None, None
    windows = None
    for name in projection.chain:
        node = graph.nodes[name]
        if isinstance(node, ir.GATE_TYPES):
            pre = windows = index_matrix(node, in_shape)
        elif core_node is None and isinstance(node, _INDEX_OPS):
            pre = index_matrix(node, in_shape) @ pre
        elif isinstance(node, _CORE_OPS):
            core_node, core_in_shape = node, in_shape
        in_shape = shapes[name]
    bias = chain_bias([graph.nodes[n] for n in projection.chain], [shapes[n] for n in projection.chain])
    pre_t = pre.T.tocsr()  # rows: source neurons
    pre_t.sort_indices()
    n_target = int(np.prod(shapes[projection.target]))
    low = {
        "pre_indptr": pre_t.indptr.astype(np.int64), "pre_index": pre_t.indices.astype(np.int64),
        "pre_weight": pre_t.data.astype(np.float64), "weights": np.zeros(0), "n_out": 0,
        "conv": np.zeros(CONV_FIELDS, np.int64), "syn_indptr": np.zeros(1, np.int64),
        "syn_target": np.zeros(0, np.int64), "syn_weight": np.zeros(0), "syn_delay": np.zeros(0, np.int64),
        "bias": np.zeros(n_target) if bias is None else bias,
        "gate": int(windows is not None),
        "windows": 0 if windows is None else windows.shape[0],
    }
    match core_node:
        case None:
            low["core"] = CORE_IDENTITY
        case ir.Dense():
            low["core"] = CORE_DENSE
            low["weights"] = np.ascontiguousarray(core_node.weight.T).ravel()
            low["n_out"] = core_node.weight.shape[0]
        case ir.Conv2d():
            low["core"] = CORE_CONV
            low["weights"] = core_node.weight.ravel().copy()
            low["conv"] = np.array(conv_geometry(core_node, core_in_shape, core_node.output_shape(core_in_shape)),
                                   np.int64)
        case ir.Sparse():
            low["core"] = CORE_SYNAPSES
            order = np.argsort(core_node.pre, kind="stable")
            low["syn_indptr"] = np.concatenate(
                [[0], np.cumsum(np.bincount(core_node.pre, minlength=core_node.n_in))]).astype(np.int64)
            low["syn_target"] = core_node.post[order].astype(np.int64)
            low["syn_weight"] = core_node.weight[order].astype(np.float64)
            low["syn_delay"] = core_node.delay[order].astype(np.int64)
    return low


def _pack(lowered: list[dict], target_start: list[int], projections) -> Projections:
    def offsets(key):
        sizes = [low[key].size for low in lowered]
        return np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64) if sizes else np.zeros(0, np.int64)

    def cat(key, dtype, shift_by=None):
        parts = [low[key] for low in lowered]
        if shift_by is not None:  # indptr arrays point into the concatenated entries
            base = offsets(shift_by)
            parts = [part + b for part, b in zip(parts, base, strict=True)]
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)

    return Projections(
        target_start=np.array(target_start, np.int64),
        core=np.array([low["core"] for low in lowered], np.int64),
        delay=np.array([p.base_delay for p in projections], np.int64),
        n_out=np.array([low["n_out"] for low in lowered], np.int64),
        pre_ptr=offsets("pre_indptr"),
        pre_indptr=cat("pre_indptr", np.int64, shift_by="pre_index"),
        pre_index=cat("pre_index", np.int64), pre_weight=cat("pre_weight", np.float64),
        weight_offset=offsets("weights"), weights=cat("weights", np.float64),
        conv=np.array([low["conv"] for low in lowered], np.int64).reshape(-1, CONV_FIELDS),
        syn_ptr=offsets("syn_indptr"),
        syn_indptr=cat("syn_indptr", np.int64, shift_by="syn_target"),
        syn_target=cat("syn_target", np.int64), syn_weight=cat("syn_weight", np.float64),
        syn_delay=cat("syn_delay", np.int64),
        gate=np.array([low["gate"] for low in lowered], np.int64),
        gate_offset=np.concatenate([[0], np.cumsum([low["windows"] for low in lowered])[:-1]]).astype(np.int64)
        if lowered else np.zeros(0, np.int64),
    )
