"""Projections and run order of a graph, and the index arithmetic of its linear maps.

A *projection* is a path ``source -> linear maps -> population`` (a source is an
:class:`~neuro.ir.Input` or a population). :func:`plan` finds them all and orders
sources and populations so that same-step (delay 0) projections run forward in
the order of the list. Everything here reads only the IR: the compiler, the
mapper, the structure counts and the exporters to other simulators share it.

Accepted chains are ``[MaxPool]? [AvgPool | Flatten | Scale]* [Dense | Conv | Sparse]? [Flatten]*``
(a max-pool gate only first: it reads its source population's spike counts; what follows it is
linear in the events it passes, so average pooling after it is as exact as before a weight layer);
anything else (two weight layers with no population between them) is refused with
a message that says to place a neuron population between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
from scipy import sparse as sp

from neuro import ir

__all__ = [
    "plan", "Plan", "Projection", "LatencyModel", "LATENCY_MODELS", "index_matrix", "conv_geometry",
    "ConvGeometry", "INDEX_OPS", "CORE_OPS",
]

LatencyModel = Literal["same-step", "pipelined"]
LATENCY_MODELS: dict[str, int] = {"same-step": 0, "pipelined": 1}


INDEX_OPS = (ir.AvgPool1d, ir.AvgPool2d, ir.Flatten, ir.Scale)
CORE_OPS = (ir.Dense, ir.Conv1d, ir.Conv2d, ir.Sparse)


@dataclass(frozen=True)
class Projection:
    """One path of linear maps from a source to a population."""

    source: str
    chain: tuple[str, ...]
    target: str
    base_delay: int

    def port(self, graph: ir.Graph) -> int:
        """Which factor of a product this projection feeds (0 for every other population)."""
        target = graph.nodes[self.target]
        if not isinstance(target, ir.Product):
            return 0
        tail = self.chain[-1] if self.chain else self.source
        return target.factors.index(tail)

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
    for position, name in enumerate(projection.chain):
        node = graph.nodes[name]
        if position == 0 and isinstance(node, ir.GATE_TYPES):  # the IR puts a gate right after a population
            continue
        if stage == 0 and isinstance(node, INDEX_OPS):
            continue
        if stage == 0 and isinstance(node, CORE_OPS):
            stage = 1
            continue
        if stage == 1 and isinstance(node, ir.Flatten):
            continue
        path = " -> ".join((projection.source, *projection.chain, projection.target))
        raise ValueError(
            f"the path {path} applies {type(node).__name__} {name!r} after another weight layer with "
            "no neuron population between them; fuse the two layers or insert a population"
        )


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
