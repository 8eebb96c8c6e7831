"""Explicit synaptic structure of a graph, for mapping and for ANN operation counts.

The engine never expands a convolution into synapses; a chip without weight
sharing has to, and the mapper must count them. :func:`connectivity` gives, for
every projection, the 0/1 matrix ``(target neurons, source neurons)`` of the
synapses a chip stores (a max-pool gate counts as its window wiring).
:func:`ann_workload` counts what the equivalent ANN computes per inference.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse as sp

from neuro import ir
from neuro.ops import chain_bias
from neuro.plan import Plan, Projection, conv_geometry, index_matrix, plan

__all__ = ["connectivity", "projection_structure", "projection_weights", "AnnWorkload", "ann_workload",
           "lstm_workload"]


def _conv_matrix(node: ir.Conv2d, in_shape, out_shape, *, weighted: bool) -> sp.csr_matrix:
    """(n_out, n_in) matrix of a convolution's synapses, by index arithmetic: the kernel
    weights, or 1 for every synapse (zero weights included) when not ``weighted``."""
    c_in, h, w, c_out, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, groups = conv_geometry(node, in_shape, out_shape)
    group_in, group_out = c_in // groups, c_out // groups
    co, oy, ox, ci, ky, kx = np.meshgrid(np.arange(c_out), np.arange(oh), np.arange(ow), np.arange(group_in),
                                         np.arange(kh), np.arange(kw), indexing="ij")
    y = oy * sh - ph + ky * dh
    x = ox * sw - pw + kx * dw
    channel = (co // group_out) * group_in + ci
    inside = (y >= 0) & (y < h) & (x >= 0) & (x < w)
    rows = ((co * oh + oy) * ow + ox)[inside]
    cols = ((channel * h + y) * w + x)[inside]
    kernel = node.weight.reshape(c_out, group_in, kh, kw)
    data = kernel[co, ci, ky, kx][inside] if weighted else np.ones(rows.size)
    return sp.csr_matrix((data, (rows, cols)), shape=(c_out * oh * ow, c_in * h * w))


def _chain_matrices(graph: ir.Graph, projection: Projection, *, weighted: bool) -> dict[int, sp.csr_matrix]:
    """The chain of a projection multiplied out: ``{extra delay: (targets, sources) matrix}``.

    Explicit synapse delays (:class:`~neuro.ir.Sparse`) split the chain by delay;
    every other chain has the single key 0.
    """
    shapes = graph.shapes
    in_shape = shapes[projection.source]
    by_delay = {0: sp.identity(int(np.prod(in_shape)), format="csr")}
    for name in projection.chain:
        node = graph.nodes[name]
        if isinstance(node, ir.Sparse):
            weight = node.weight if weighted else np.ones(node.pre.size)
            split: dict[int, sp.csr_matrix] = {}
            for d in np.unique(node.delay):
                pick = node.delay == d
                step = sp.csr_matrix((weight[pick], (node.post[pick], node.pre[pick])), shape=(node.n_out, node.n_in))
                for d0, matrix in by_delay.items():
                    key = d0 + int(d)
                    split[key] = step @ matrix + split[key] if key in split else step @ matrix
            by_delay = split
            in_shape = shapes[name]
            continue
        if isinstance(node, ir.Dense):
            step = sp.csr_matrix(node.weight if weighted else np.ones(node.weight.shape))
        elif isinstance(node, ir.Conv2d):
            step = _conv_matrix(node, in_shape, shapes[name], weighted=weighted)
        else:
            step = index_matrix(node, in_shape)
        by_delay = {d: (step @ matrix).tocsr() for d, matrix in by_delay.items()}
        in_shape = shapes[name]
    return by_delay


def projection_structure(graph: ir.Graph, projection: Projection) -> sp.csr_matrix:
    """0/1 matrix ``(target neurons, source neurons)`` of one projection's synapses."""
    by_delay = _chain_matrices(graph, projection, weighted=False)
    n_target = int(np.prod(graph.shapes[projection.target]))
    n_source = int(np.prod(graph.shapes[projection.source]))
    # a Sparse map without synapses splits into no delays at all: its structure is the empty matrix
    matrix = sum(by_delay.values(), sp.csr_matrix((n_target, n_source))).tocsr()
    matrix.data[:] = 1.0
    matrix.eliminate_zeros()
    return matrix


def projection_weights(graph: ir.Graph, projection: Projection) -> dict[int, sp.csr_matrix]:
    """The weights a projection's events meet, multiplied out over its chain.

    Returns ``{delay: (target neurons, source neurons) matrix}`` with the
    projection's base delay included. This is the expanded form a simulator
    without shared kernels needs (e.g. Brian2); the engine never builds it. A
    max-pool gate is not linear and is refused.
    """
    for name in projection.chain:
        if isinstance(graph.nodes[name], ir.GATE_TYPES):
            raise ValueError(f"projection {projection.source} -> {projection.target} passes the max-pool gate "
                             f"{name!r}, which has no weight-matrix form")
    return {projection.base_delay + d: matrix.tocsr()
            for d, matrix in _chain_matrices(graph, projection, weighted=True).items()}


def projection_bias(graph: ir.Graph, projection: Projection) -> np.ndarray:
    """The constant current a projection's chain adds to its target (its biases, carried through), flat."""
    bias = chain_bias([graph.nodes[n] for n in projection.chain], [graph.shapes[n] for n in projection.chain])
    return np.zeros(int(np.prod(graph.shapes[projection.target]))) if bias is None else bias.ravel()


def connectivity(graph: ir.Graph, the_plan: Plan | None = None) -> list[tuple[Projection, sp.csr_matrix]]:
    """Every projection with its synapse matrix."""
    the_plan = plan(graph) if the_plan is None else the_plan
    return [(p, projection_structure(graph, p)) for p in the_plan.projections]


@dataclass(frozen=True)
class AnnWorkload:
    """What the ANN the graph stands for computes per inference."""

    macs: int  # one per connection of every weight layer and pooling window
    activations: int  # one per neuron of every population
    parameters: int  # stored weights and biases

    @property
    def weight_bytes_fp32(self) -> int:
        return 4 * self.parameters


def _node_connections(graph: ir.Graph, name: str) -> int:
    node = graph.nodes[name]
    (source,) = graph.predecessors(name)
    in_shape = graph.shapes[source]
    if isinstance(node, ir.Dense):
        return int(node.weight.size)
    if isinstance(node, ir.Conv2d):
        return int(_conv_matrix(node, in_shape, graph.shapes[name], weighted=False).nnz)
    if isinstance(node, ir.Sparse):
        return int(node.pre.size)
    if isinstance(node, ir.Flatten):
        return 0
    return int(index_matrix(node, in_shape).nnz)  # pooling windows, elementwise scaling


def ann_workload(graph: ir.Graph) -> AnnWorkload:
    """Operations of the ANN: every linear node's connections once, every neuron once."""
    macs = sum(_node_connections(graph, name) for name, node in graph.nodes.items()
               if not isinstance(node, (ir.Input, *ir.NEURON_TYPES)))
    activations = sum(int(np.prod(graph.shapes[p])) for p in graph.populations)
    parameters = 0
    for node in graph.nodes.values():
        for attribute in ("weight", "scale"):
            if isinstance(getattr(node, attribute, None), np.ndarray):
                parameters += int(getattr(node, attribute).size)
        bias = getattr(node, "bias", None)
        if isinstance(node, ir.Dense | ir.Conv2d) and bias is not None:
            parameters += int(bias.size)
    return AnnWorkload(macs=macs, activations=activations, parameters=parameters)


def lstm_workload(input_size: int, hidden: int, layers: int, classes: int, elements: int) -> AnnWorkload:
    """What an LSTM classifier (read out from its last hidden state) computes per sequence.

    A converted LSTM's graph cannot stand for it: its linear maps run once per element,
    and a binary or rate-coded realisation's graph is many times the LSTM's size. Per element and
    layer: the four gates' pre-activations and the three products; the readout once.
    """
    macs = activations = parameters = 0
    width = input_size
    for _ in range(layers):
        macs += elements * (4 * hidden * (width + hidden) + 3 * hidden)
        activations += elements * 5 * hidden  # four gates and tanh c
        parameters += 4 * hidden * (width + hidden) + 8 * hidden  # torch keeps two bias vectors
        width = hidden
    return AnnWorkload(macs=macs + classes * hidden, activations=activations + classes,
                       parameters=parameters + classes * hidden + classes)
