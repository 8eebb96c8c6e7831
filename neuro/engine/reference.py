"""Dense NumPy reference engine: the same semantics, written as plainly as possible.

It reads neuron parameters from the IR nodes and applies every projection as a
chain of dense linear maps (``neuro.ops.forward``) to the full payload vector of
its source, so it shares no index arithmetic with the kernels it checks. Only
the plan (which projections exist, the run order) comes from ``neuro.compile``.
"""

from __future__ import annotations

import numpy as np

from neuro import ir
from neuro.compile import CompiledNetwork
from neuro.discrete import step_constants
from neuro.ops import chain_bias, forward, sparse_forward


def _window_max(node, counts: np.ndarray) -> np.ndarray:
    """Largest count in every pooling window (padding excluded), by explicit loops."""
    kernel, stride, padding = node.geometry_2d
    if counts.ndim == 2:  # (channels, length) as a height of 1
        counts = counts[:, None, :]
    channels, h, w = counts.shape
    oh = (h + 2 * padding[0] - kernel[0]) // stride[0] + 1
    ow = (w + 2 * padding[1] - kernel[1]) // stride[1] + 1
    best = np.zeros((channels, oh, ow), np.int64)
    for c in range(channels):
        for oy in range(oh):
            for ox in range(ow):
                for y in range(oy * stride[0] - padding[0], oy * stride[0] - padding[0] + kernel[0]):
                    for x in range(ox * stride[1] - padding[1], ox * stride[1] - padding[1] + kernel[1]):
                        if 0 <= y < h and 0 <= x < w:
                            best[c, oy, ox] = max(best[c, oy, ox], counts[c, y, x])
    return best


def _chain_outputs(graph: ir.Graph, chain, payload, base_delay, *, structure=False, counts=None):
    """Deliver a payload vector through a chain: {delay: target contribution}.

    ``counts`` -- the source's cumulative event counts before and after this
    step -- is needed by a max-pool gate: a window passes as many events as its
    largest count grew; the rest of the chain (pooling included) is linear in them.
    """
    if chain and isinstance(graph.nodes[chain[0]], ir.GATE_TYPES):
        before, after = counts
        gate = graph.nodes[chain[0]]
        passed = _window_max(gate, after) - _window_max(gate, before)
        payload = passed.astype(np.float64).reshape(graph.shapes[chain[0]])  # a 1-D gate's windows: no height
        chain = chain[1:]
    by_delay = {base_delay: payload[None]}
    for name in chain:
        node = graph.nodes[name]
        if isinstance(node, ir.Sparse):
            split = {}
            for d0, x in by_delay.items():
                for d in np.unique(node.delay):
                    split[d0 + int(d)] = split.get(d0 + int(d), 0) + sparse_forward(
                        x.reshape(1, -1), node, structure=structure, delay=int(d))
            by_delay = split
        else:
            by_delay = {d: forward(node, x, structure=structure) for d, x in by_delay.items()}
    return {d: x.ravel() for d, x in by_delay.items()}


_ACTIVATIONS = {
    "identity": lambda z: z,
    "relu": lambda z: np.maximum(z, 0.0),
    "hard_sigmoid": lambda z: np.clip(0.25 * z + 0.5, 0.0, 1.0),
    "hard_tanh": lambda z: np.clip(z, -1.0, 1.0),
}


def _port(graph, projection) -> int:
    target = graph.nodes[projection.target]
    tail = projection.chain[-1] if projection.chain else projection.source
    return target.factors.index(tail) if isinstance(target, ir.Product) else 0


def run_reference(network: CompiledNetwork, drive, timesteps, spike_counts, counters,
                  out_steps, out_v) -> None:
    graph, plan = network.graph, network.plan
    shapes = graph.shapes
    depth = network.max_delay + 1
    outgoing = {name: [p for p in plan.projections if p.source == name] for name in plan.order}
    bias = {name: np.zeros(int(np.prod(shapes[name]))) for name in graph.populations}
    for p in plan.projections:
        constant = chain_bias([graph.nodes[n] for n in p.chain], [shapes[n] for n in p.chain])
        if constant is not None:
            bias[p.target] += constant.ravel()
    columns, column = {}, 0
    for name in plan.order:
        if isinstance(graph.nodes[name], ir.Input):
            size = int(np.prod(shapes[name]))
            columns[name] = slice(column, column + size)
            column += size
    for b in range(drive.shape[0]):
        v = {n: getattr(graph.nodes[n], "v_initial", np.zeros(graph.nodes[n].shape)).ravel().copy()
             for n in graph.populations}
        current = {n: np.zeros_like(v[n]) for n in graph.populations}
        sent = {n: np.zeros_like(v[n]) for n in graph.populations}
        net = {n: np.zeros(v[n].shape, np.int64) for n in graph.populations}  # signed: positive - negative
        ring = [{(n, port): np.zeros_like(v[n]) for n in graph.populations for port in (0, 1)}
                for _ in range(depth)]
        for t in range(timesteps):
            slot = t % depth
            for p_index, name in enumerate(plan.order):
                node = graph.nodes[name]
                if isinstance(node, ir.Input):
                    payload = drive[b, 0 if drive.shape[1] == 1 else t, columns[name]]
                elif isinstance(node, ir.GRADED_TYPES):
                    first, second = ring[slot][(name, 0)], ring[slot][(name, 1)]
                    ring[slot][(name, 0)], ring[slot][(name, 1)] = np.zeros_like(first), np.zeros_like(second)
                    if isinstance(node, ir.Product):
                        v[name] = v[name] + first
                        current[name] = current[name] + second
                        value = v[name] * current[name]
                    else:
                        v[name] = v[name] + first if node.accumulate else first
                        value = _ACTIVATIONS[node.activation](v[name] + bias[name])
                    change = value - sent[name]
                    fired = np.abs(change) > node.threshold.ravel()
                    payload = np.where(fired, change, 0.0)
                    sent[name] = np.where(fired, value, sent[name])
                    counters[b, p_index, 2] += v[name].size
                    if name == graph.output and out_steps.shape[2]:  # recorded unless record_output=False
                        out_steps[b, t] += fired
                        out_v[b, t] = value
                else:
                    a_syn, w_in, a_mem, leak = (c.ravel() for c in step_constants(node, network.dt))
                    arriving = ring[slot][(name, 0)]
                    ring[slot][(name, 0)] = np.zeros_like(arriving)
                    current[name] = a_syn * current[name] + w_in * arriving
                    v[name] = a_mem * v[name] + leak \
                        + node.r.ravel() * (current[name] + bias[name])
                    fired = v[name] >= node.v_threshold.ravel()
                    if node.reset == "subtract":
                        v[name] = np.where(fired, v[name] - node.v_threshold.ravel(), v[name])
                    else:
                        v[name] = np.where(fired, node.v_reset.ravel(), v[name])
                    taken_back = np.zeros_like(fired)
                    if getattr(node, "signed", False):  # below zero, with spikes to give back: one returns
                        taken_back = ~fired & (v[name] < 0) & (net[name] > 0)
                        v[name] = np.where(taken_back, v[name] + node.v_threshold.ravel(), v[name])
                    signs = fired.astype(np.int64) - taken_back.astype(np.int64)
                    net[name] += signs
                    payload = signs.astype(np.float64)
                    counters[b, p_index, 2] += v[name].size
                    if name == graph.output and out_steps.shape[2]:  # recorded unless record_output=False
                        out_steps[b, t] += signs
                        out_v[b, t] = v[name]
                events = payload != 0
                before = spike_counts[b, network.slice_of(name)].reshape(shapes[name]).copy()
                spike_counts[b, network.slice_of(name)] += events
                counters[b, p_index, 0] += int(events.sum())
                for projection in outgoing[name]:
                    source = payload.reshape(shapes[name])
                    counts = (before, spike_counts[b, network.slice_of(name)].reshape(shapes[name]))
                    port = _port(graph, projection)
                    for d, contribution in _chain_outputs(graph, projection.chain, source,
                                                          projection.base_delay, counts=counts).items():
                        ring[(t + d) % depth][(projection.target, port)] += contribution
                    paths = _chain_outputs(graph, projection.chain,
                                           events.astype(np.float64).reshape(shapes[name]),
                                           projection.base_delay, structure=True, counts=counts)
                    counters[b, p_index, 1] += int(round(sum(x.sum() for x in paths.values())))
