"""Graph -> CompiledNetwork: flat arrays the engine's kernels can run.

Compilation has two steps, kept apart so that the reference engine can share the
first and check the second:

1. :func:`neuro.plan.plan` finds the *projections*: every path ``source -> linear
   maps -> population`` (a source is an :class:`~neuro.ir.Input` or a population)
   and orders sources and populations so that same-step (delay 0) projections run
   forward in the order of the list.
2. :func:`compile_network` lowers every projection to the kernel's form: an
   explicit *pre-map* (pooling, flattening, scaling: a few entries per source
   neuron) followed by one *core* -- identity, a dense matrix row, a shared
   convolution kernel, or explicit synapses. Conv layers stay kernels: a spike is
   scattered through the weights directly and never expanded into synapses.

The accepted chains are listed in :mod:`neuro.plan`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
from scipy import sparse as sp

from neuro import ir
from neuro.discrete import ENGINE_DT, step_constants
from neuro.limits import check_allocation
from neuro.plan import (
    CORE_OPS,
    INDEX_OPS,
    LATENCY_MODELS,
    ConvGeometry,
    LatencyModel,
    Plan,
    Projection,
    conv_geometry,
    index_matrix,
    plan,
)
from neuro.structure import projection_bias
from neuro.table_codes import (
    CONV_FIELD_NAMES,
    CONV_FIELDS,
    CORE_CONV,
    CORE_DENSE,
    CORE_IDENTITY,
    CORE_SYNAPSES,
    KIND_INPUT,
    KIND_NEURON,
    KIND_PRODUCT,
    KIND_SIGMA_DELTA,
)

assert ConvGeometry._fields == CONV_FIELD_NAMES, "the kernel reads a convolution's geometry in this order"

__all__ = [
    "compile_network", "plan", "CompiledNetwork", "Plan", "Projection", "LatencyModel",
    "LATENCY_MODELS", "index_matrix", "conv_geometry", "ConvGeometry",
]

ACTIVATION_CODES = {name: code for code, name in enumerate(ir.ACTIVATIONS)}
_STEP_KEYS = ("a_syn", "w_in", "a_mem", "leak", "r")  # the constants the kernel's uniform fast path reads once
_SPIKE_KEYS = ("v_threshold", "subtract", "v_reset")  # those its uniform spike test reads once

# --------------------------------------------------------------------------- arrays


class Populations(NamedTuple):
    start: np.ndarray  # int64[P] first global index
    stop: np.ndarray  # int64[P]
    kind: np.ndarray  # int64[P] KIND_INPUT, KIND_NEURON, KIND_SIGMA_DELTA or KIND_PRODUCT
    drive_column: np.ndarray  # int64[P] first drive column of an input, -1 for neurons
    proj_ptr: np.ndarray  # int64[P+1] outgoing projections of p: proj_list[proj_ptr[p]:proj_ptr[p+1]]
    proj_list: np.ndarray  # int64[J]
    uniform: np.ndarray  # bool[P] a binary population whose a_syn, w_in, a_mem, leak and r are the same throughout
    uniform_spike: np.ndarray  # bool[P] one whose v_threshold, reset mode and v_reset are the same throughout
    signed: np.ndarray  # bool[P] a population of signed IF neurons (negative spikes; ir.IF.signed)


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
    pre_window: np.ndarray  # int64, per pre-map entry of a gated projection: the max-pool window it passes
    weight_offset: np.ndarray  # int64[J] into weights
    weights: np.ndarray  # float64, dense rows (n_mid, n_out); conv kernels (kh, group_in, kw reversed, c_out)
    narrow: np.ndarray  # int64[J] 1 if a dense core's rows are kept in weights32 instead
    weight32_offset: np.ndarray  # int64[J] into weights32
    weights32: np.ndarray  # float32, the dense rows whose every weight float32 holds exactly
    conv: np.ndarray  # int64[J, CONV_FIELDS]
    syn_ptr: np.ndarray  # int64[J] offset of the projection's indptr in syn_indptr
    syn_indptr: np.ndarray
    syn_target: np.ndarray
    syn_weight: np.ndarray
    syn_delay: np.ndarray
    gate: np.ndarray  # int64[J] 1 if the projection starts with a max-pool gate
    gate_offset: np.ndarray  # int64[J] first slot of its windows' passed counts (per-sample state)
    channels_last: np.ndarray  # int64[J] 1 if a conv core's target is stored channels-last


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
    # where the kernel keeps each neuron (natural order in, stored order out): a population that a
    # convolution writes into is kept channels-last, so that a spike's output channels are contiguous
    stored_index: np.ndarray

    @property
    def latency_model(self) -> str:
        return self.plan.latency_model

    @cached_property
    def n_neurons(self) -> int:
        return int(self.populations.stop[-1])

    @cached_property
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
        return self.slices[name]

    @cached_property
    def slices(self) -> Mapping[str, slice]:
        """Each population's global index range (in run order)."""
        return MappingProxyType({name: slice(int(lo), int(hi)) for name, lo, hi
                                 in zip(self.names, self.populations.start, self.populations.stop, strict=True)})


def _kind(node) -> int:
    if isinstance(node, ir.Input):
        return KIND_INPUT
    if isinstance(node, ir.SigmaDelta):
        return KIND_SIGMA_DELTA
    if isinstance(node, ir.Product):
        return KIND_PRODUCT
    return KIND_NEURON


def _same_throughout(params: dict[str, np.ndarray], keys, start: np.ndarray) -> np.ndarray:
    """Per population: whether each of ``keys`` holds one value for all its neurons."""
    return np.array([all(np.all(params[key][lo:hi] == params[key][lo]) for key in keys)
                     for lo, hi in zip(start[:-1], start[1:], strict=True)], bool)


def _neuron_params(node, dt: float) -> dict[str, np.ndarray]:
    ones = np.ones(node.shape)
    if isinstance(node, ir.GRADED_TYPES):  # the threshold is the send threshold; no leak, no reset
        return {"v_threshold": node.threshold, "r": ones, "w_in": ones, "a_mem": ones,
                "activation": np.full(node.shape, ACTIVATION_CODES[getattr(node, "activation", "identity")]),
                "accumulate": np.full(node.shape, getattr(node, "accumulate", True))}
    constants = step_constants(node, dt)
    return {
        "a_syn": constants.a_syn, "w_in": constants.w_in, "a_mem": constants.a_mem, "leak": constants.leak,
        "r": node.r, "v_threshold": node.v_threshold, "v_reset": node.v_reset,
        "subtract": np.full(node.shape, node.reset == "subtract"), "v_initial": node.v_initial,
    }


def compile_network(graph: ir.Graph, *, latency_model: LatencyModel = "same-step",
                    dt: float = ENGINE_DT) -> CompiledNetwork:
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
    for projection in the_plan.projections:
        # a max-pool gate passes an event when it raises its window's largest count: a count that a negative
        # spike lowers again has no such reading
        if getattr(graph.nodes[projection.source], "signed", False) and projection.chain \
                and isinstance(graph.nodes[projection.chain[0]], ir.GATE_TYPES):
            raise ValueError(f"signed population {projection.source!r} feeds the max-pool gate "
                             f"{projection.chain[0]!r}; a gate needs a population without negative spikes")
    shapes = graph.shapes
    sizes = {n: int(np.prod(shapes[n])) for n in the_plan.order}
    # about twenty float64 values a neuron (parameters, state, the delay ring's slots): refuse a network
    # whose tables alone exceed the memory limit before any of them is allocated
    check_allocation(f"the tables of {sum(sizes.values()):,} neurons", 160.0 * sum(sizes.values()),
                     "the network is too large for this machine")
    start = np.cumsum([0] + [sizes[n] for n in the_plan.order])
    position = {n: i for i, n in enumerate(the_plan.order)}
    n_total = int(start[-1])

    order = {name: _stored_order(graph, the_plan, name) for name in the_plan.order}

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
                params[key][lo:hi][order[name]] = np.ravel(value)

    lowered = [_lower(graph, p, shapes, order[p.source], order[p.target]) for p in the_plan.projections]
    for projection, low in zip(the_plan.projections, lowered, strict=True):
        lo = start[position[projection.target]]
        params["bias"][lo:lo + sizes[projection.target]][order[projection.target]] += low.bias.ravel()

    by_source = sorted(range(len(lowered)), key=lambda j: position[the_plan.projections[j].source])
    counts = np.bincount([position[the_plan.projections[j].source] for j in by_source],
                         minlength=len(the_plan.order))
    populations = Populations(
        start=start[:-1].astype(np.int64), stop=start[1:].astype(np.int64),
        kind=np.array([_kind(graph.nodes[n]) for n in the_plan.order], np.int64),
        drive_column=drive_column,
        proj_ptr=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        proj_list=np.array(by_source, np.int64),
        uniform=_same_throughout(params, _STEP_KEYS, start),
        uniform_spike=_same_throughout(params, _SPIKE_KEYS, start),
        signed=np.array([bool(getattr(graph.nodes[n], "signed", False)) for n in the_plan.order]),
    )
    # a product's second factor accumulates in the ring's second half (its own port)
    projections = _pack(lowered, [int(start[position[p.target]]) + n_total * p.port(graph)
                                  for p in the_plan.projections], the_plan.projections)
    max_delay = max((p.base_delay + low.core_delay + int(low.syn_delay.max(initial=0))
                     for p, low in zip(the_plan.projections, lowered, strict=True)), default=0)
    return CompiledNetwork(
        graph=graph, plan=the_plan, populations=populations, neurons=Neurons(**params),
        projections=projections, names=the_plan.order, dt=float(dt), max_delay=int(max_delay),
        gate_windows=int(sum(low.windows for low in lowered)),
        stored_index=np.concatenate([start[position[n]] + order[n] for n in the_plan.order]).astype(np.int64)
        if the_plan.order else np.zeros(0, np.int64),
    )


def _channels_last(shape: tuple[int, ...]) -> np.ndarray:
    """Stored position of each neuron of a ``(channels, *spatial)`` population kept channels-last."""
    channels, spatial = shape[0], int(np.prod(shape[1:]))
    natural = np.arange(channels * spatial)
    return (natural % spatial) * channels + natural // spatial


def _stored_order(graph: ir.Graph, the_plan: Plan, name: str) -> np.ndarray:
    """Natural index -> stored index within a population: channels-last if a convolution writes into it."""
    shape = graph.shapes[name]
    conv_target = any(p.target == name and any(isinstance(graph.nodes[n], ir.Conv2d) for n in p.chain)
                      for p in the_plan.projections)
    if conv_target and len(shape) >= 2 and shape[0] > 1:
        return _channels_last(shape)
    return np.arange(int(np.prod(shape)))


@dataclass(frozen=True, eq=False)
class LoweredProjection:
    """One projection's tables before they are packed with the others into :class:`Projections`.

    ``pre_*``: the pre-map (CSR, a row per source neuron in stored order; behind a max-pool gate,
    ``pre_window`` gives each entry's window); ``weights``
    (or ``weights32`` where float32 holds them exactly) and ``n_out``: a dense or
    convolution core; ``conv``: a convolution's geometry (``neuro.table_codes.CONV_FIELD_NAMES``);
    ``syn_*``: an explicit synapse core (CSR by source); ``bias``: the constant current it
    adds to its target (natural order); ``gate``/``windows``: a max-pool gate and its
    window count; ``core_delay``: a delay the core adds to the whole projection.
    """

    core: int
    pre_indptr: np.ndarray
    pre_index: np.ndarray
    pre_weight: np.ndarray
    pre_window: np.ndarray
    weights: np.ndarray
    weights32: np.ndarray
    n_out: int
    conv: np.ndarray
    syn_indptr: np.ndarray
    syn_target: np.ndarray
    syn_weight: np.ndarray
    syn_delay: np.ndarray
    bias: np.ndarray
    gate: int
    windows: int
    channels_last: int
    core_delay: int


def _lower(graph: ir.Graph, projection: Projection, shapes, source_order: np.ndarray,
           target_order: np.ndarray) -> LoweredProjection:
    """One projection as pre-map + core, and the constant current it adds (in natural order).

    Source and target neurons are addressed in their stored order (``*_order``:
    natural index -> stored index); the core's input (``mid``) stays natural.
    """
    n_src = int(np.prod(shapes[projection.source]))
    pre = sp.identity(n_src, format="csr")  # (n_mid, n_src); after a gate: (n_mid, n_windows)
    in_shape = shapes[projection.source]
    core_node, core_in_shape = None, None
    windows = None
    for name in projection.chain:
        node = graph.nodes[name]
        if isinstance(node, ir.GATE_TYPES):
            windows = index_matrix(node, in_shape)
            pre = sp.identity(windows.shape[0], format="csr")
        elif core_node is None and isinstance(node, INDEX_OPS):
            pre = index_matrix(node, in_shape) @ pre
        elif isinstance(node, CORE_OPS):
            core_node, core_in_shape = node, in_shape
        in_shape = shapes[name]
    if windows is None:
        pre_t = pre.T.tocsr()[np.argsort(source_order)]  # rows: source neurons, in stored order
        indptr, index, weight = pre_t.indptr, pre_t.indices, pre_t.data
        window = np.zeros(index.size, np.int64)
    else:
        indptr, index, weight, window = _gated_pre_map(windows, pre, np.argsort(source_order))
    if core_node is None:  # the pre-map's output is the target itself
        index = target_order[index]
    if windows is None:  # a gated row keeps its entries grouped by window (the kernel decides once a window)
        pre_t = sp.csr_matrix((weight, index, indptr), shape=(n_src, int(index.max(initial=-1)) + 1))
        pre_t.sort_indices()
        indptr, index, weight = pre_t.indptr, pre_t.indices, pre_t.data
    target_natural = np.argsort(target_order)  # stored index -> natural index
    low = {
        "pre_indptr": indptr.astype(np.int64), "pre_index": index.astype(np.int64),
        "pre_weight": weight.astype(np.float64), "pre_window": window, "weights": np.zeros(0), "n_out": 0,
        "conv": np.zeros(CONV_FIELDS, np.int64), "syn_indptr": np.zeros(1, np.int64),
        "syn_target": np.zeros(0, np.int64), "syn_weight": np.zeros(0), "syn_delay": np.zeros(0, np.int64),
        "bias": projection_bias(graph, projection),
        "gate": int(windows is not None),
        "windows": 0 if windows is None else windows.shape[0],
        "channels_last": 0,
        "core_delay": 0,  # a delay the core adds to the whole projection
        "weights32": np.zeros(0, np.float32),
    }
    match core_node:
        case None:
            low["core"] = CORE_IDENTITY
        case ir.Dense():
            low["core"] = CORE_DENSE
            low["weights"] = np.ascontiguousarray(core_node.weight.T[:, target_natural]).ravel()
            low["n_out"] = core_node.weight.shape[0]
        case ir.Conv2d():
            low["core"] = CORE_CONV
            # (c_out, group_in, [kh,] kw) -> (kh, group_in, kw reversed, c_out): the kernel's inner loops run
            # over c_out, and over whole kernel rows of a channels-last target
            kernel = core_node.weight if core_node.weight.ndim == 4 else core_node.weight[:, :, None, :]
            low["weights"] = np.ascontiguousarray(kernel[:, :, :, ::-1].transpose(2, 1, 3, 0)).ravel()
            low["conv"] = np.array(conv_geometry(core_node, core_in_shape, core_node.output_shape(core_in_shape)),
                                   np.int64)
            if not np.array_equal(target_order, np.arange(target_order.size)):
                low["channels_last"] = 1  # the only reordering _stored_order makes
        case ir.Sparse() if _all_to_all_one_delay(core_node):
            # e.g. an LSTM's recurrence: a dense row per event, vectorised, and the delay moves to the projection;
            # the same synapses, the same synaptic-operation count, each target summed in the same order
            low["core"] = CORE_DENSE
            dense = np.zeros((core_node.n_in, core_node.n_out))
            dense[core_node.pre, target_order[core_node.post]] = core_node.weight
            low["weights"] = dense.ravel()
            low["n_out"] = core_node.n_out
            low["core_delay"] = int(core_node.delay[0])
        case ir.Sparse():
            low["core"] = CORE_SYNAPSES
            order = np.argsort(core_node.pre, kind="stable")
            low["syn_indptr"] = np.concatenate(
                [[0], np.cumsum(np.bincount(core_node.pre, minlength=core_node.n_in))]).astype(np.int64)
            low["syn_target"] = target_order[core_node.post[order]].astype(np.int64)
            low["syn_weight"] = core_node.weight[order].astype(np.float64)
            low["syn_delay"] = core_node.delay[order].astype(np.int64)
    if low["core"] == CORE_DENSE and _exact_in_float32(low["weights"]):
        # half the bytes for the same numbers: a dense core streams a row from memory per event, so this
        # is up to twice the delivery speed, and every product and sum is bit for bit what float64 gives
        low["weights32"], low["weights"] = low["weights"].astype(np.float32), np.zeros(0)
    return LoweredProjection(**low)


def _gated_pre_map(windows: sp.csr_matrix, after: sp.csr_matrix, stored_sources: np.ndarray):
    """The pre-map of a projection behind a max-pool gate, as CSR rows of source neurons (in stored order).

    ``windows`` (n_windows, n_src) says which windows a source neuron belongs to; ``after``
    (n_mid, n_windows) is the pooling, flattening and scaling after the gate. A row holds, for each
    window of the neuron, the entries of that window's column of ``after``, adjacent; every entry
    also records its window (the gate's decision is made once a window, then applied to them all).
    """
    by_source = windows.T.tocsr()[stored_sources]  # (n_src, n_windows), rows in stored order
    by_source.sort_indices()
    by_window = after.T.tocsr()  # (n_windows, n_mid)
    by_window.sort_indices()
    window = by_source.indices.astype(np.int64)  # one per (source, window) pair, grouped by source
    lengths = np.diff(by_window.indptr)[window]
    starts = np.repeat(by_window.indptr[window], lengths)
    within = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    entries = starts + within
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)[by_source.indptr]  # pairs -> entries
    return indptr, by_window.indices[entries], by_window.data[entries], np.repeat(window, lengths)


def _exact_in_float32(weights: np.ndarray) -> bool:
    with np.errstate(over="ignore"):
        return bool(np.array_equal(weights.astype(np.float32).astype(np.float64), weights))


def _all_to_all_one_delay(node: ir.Sparse) -> bool:
    """Whether a Sparse map joins every input to every output exactly once, all with one delay."""
    size = node.n_in * node.n_out
    return bool(node.pre.size == size and np.all(node.delay == node.delay[0])
                and np.unique(node.pre * node.n_out + node.post).size == size)


def _pack(lowered: list[LoweredProjection], target_start: list[int], projections) -> Projections:
    def offsets(key):
        sizes = [getattr(low, key).size for low in lowered]
        return np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64) if sizes else np.zeros(0, np.int64)

    def cat(key, dtype, shift_by=None):
        parts = [getattr(low, key) for low in lowered]
        if shift_by is not None:  # indptr arrays point into the concatenated entries
            base = offsets(shift_by)
            parts = [part + b for part, b in zip(parts, base, strict=True)]
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)

    return Projections(
        target_start=np.array(target_start, np.int64),
        core=np.array([low.core for low in lowered], np.int64),
        delay=np.array([p.base_delay + low.core_delay for p, low in zip(projections, lowered, strict=True)],
                       np.int64),
        n_out=np.array([low.n_out for low in lowered], np.int64),
        pre_ptr=offsets("pre_indptr"),
        pre_indptr=cat("pre_indptr", np.int64, shift_by="pre_index"),
        pre_index=cat("pre_index", np.int64), pre_weight=cat("pre_weight", np.float64),
        pre_window=cat("pre_window", np.int64),
        weight_offset=offsets("weights"), weights=cat("weights", np.float64),
        narrow=np.array([int(low.weights32.size > 0) for low in lowered], np.int64),
        weight32_offset=offsets("weights32"), weights32=cat("weights32", np.float32),
        conv=np.array([low.conv for low in lowered], np.int64).reshape(-1, CONV_FIELDS),
        syn_ptr=offsets("syn_indptr"),
        syn_indptr=cat("syn_indptr", np.int64, shift_by="syn_target"),
        syn_target=cat("syn_target", np.int64), syn_weight=cat("syn_weight", np.float64),
        syn_delay=cat("syn_delay", np.int64),
        gate=np.array([low.gate for low in lowered], np.int64),
        channels_last=np.array([low.channels_last for low in lowered], np.int64),
        gate_offset=np.concatenate([[0], np.cumsum([low.windows for low in lowered])[:-1]]).astype(np.int64)
        if lowered else np.zeros(0, np.int64),
    )
