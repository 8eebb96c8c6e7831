"""Initial membranes tuned so that a short run's spike counts match the ANN, channel by channel.

At T = 1-4 steps the spikes reaching a deep layer arrive unevenly over the run:
a neuron cannot fire more than once a step, so excitation that arrives late is
partly lost, and (unless it is signed) a neuron cannot take back a spike fired
before its inhibition came. The errors do not cancel: each channel's mean count
drifts from its ANN activation, and the drift feeds the next layer. In
mnist-resnet trained for 4 levels, the mean rate error grows from 0 in the stem
to 0.26 events per step after three residual blocks at T = 4, and accuracy falls
from 0.981 to 0.50.

Potential calibration (Li et al., "A free lunch from ANN: towards efficient,
accurate spiking neural networks calibration", ICML 2021) moves each channel's
initial membrane by the charge its mean count misses: layer by layer in
topological order, the network runs T steps on calibration samples, and a
channel whose mean rate is ``d`` events per step below its ANN activation
starts ``T·d`` thresholds higher. Calibrating a layer changes what the layers
after it receive, so each is measured after the ones before it are calibrated.
A shift of ``T·d`` thresholds does not move a channel's mean count by exactly
``d`` (counts are whole numbers, never below zero and at most one a step), so a
second round measures again and corrects what is left.

The ANN side is :func:`neuro.analog.evaluate` on the same graph (the quantised
activation where the network was converted from quantised ReLUs), which does
not depend on the initial membranes; only the spiking side moves. The result
is tied to T, the input encoding (analog: constant current) and the same-step
latency model, in which every layer sees its input from the first step (the
pipelined model delays each layer by its depth, which a T-step measurement
would read as lost charge); these are recorded in the network's metadata. A
second calibration of the same graph starts from the membranes the first left
and replaces the record.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from neuro import analog, encode, ir
from neuro.compile import compile_network
from neuro.engine import simulate
from neuro.plan import plan

__all__ = ["calibrate_membranes", "RECORD_KEY"]

RECORD_KEY = "membrane_calibration"  # where the setting is recorded, in metadata["conversion"]


def _net_rates(recorded: ir.Graph, x: np.ndarray, timesteps: int, batch_size: int) -> np.ndarray:
    """Net events per step (positive minus negative) of the population a graph records as its output
    (``metadata["output"]``) over ``timesteps`` steps, shape ``(batch, *shape)``."""
    population = recorded.output
    network = compile_network(recorded, latency_model="same-step")
    rates = []
    for start in range(0, len(x), batch_size):
        run = simulate(network, encode.constant(x[start:start + batch_size]), timesteps=timesteps)
        rates.append(run.output_steps.sum(axis=1, dtype=np.float64) / timesteps)
    return np.concatenate(rates).reshape(len(x), *recorded.shapes[population])


def _per_channel_mean(values: np.ndarray) -> np.ndarray:
    """Mean over samples and positions, per channel (the first axis of a population's shape; a
    dense population's every neuron is its own channel), broadcast back to the population's shape."""
    axes = (0, *range(2, values.ndim))
    return np.broadcast_to(values.mean(axis=axes, keepdims=True)[0], values.shape[1:])


def calibrate_membranes(graph: ir.Graph, x, *, timesteps: int, rounds: int = 2, batch_size: int = 100) -> ir.Graph:
    """The graph with each hidden IF population's initial membrane calibrated for ``timesteps`` steps.

    Parameters
    ----------
    graph
        A feed-forward graph of IF populations (a converted CNN).
    x
        Calibration samples ``(batch, *input_shape)``, given as analog input; use
        training data, never the held-out set.
    timesteps
        The run length ``T`` the network is calibrated for.
    rounds
        Passes over the layers.
    batch_size
        Samples simulated at once (the result does not depend on it).

    Returns
    -------
    ir.Graph
        The same graph with new ``v_initial`` arrays (constant per channel) and the
        setting recorded in ``metadata["conversion"]["membrane_calibration"]``.
    """
    if not isinstance(timesteps, int | np.integer) or isinstance(timesteps, bool) or timesteps < 1:
        raise ValueError(f"membrane calibration needs a whole number of steps >= 1, got {timesteps!r}")
    if not isinstance(rounds, int | np.integer) or isinstance(rounds, bool) or rounds < 1:
        raise ValueError(f"membrane calibration needs at least one round, got {rounds!r}")
    x = np.asarray(x, dtype=np.float64)
    if len(x) == 0:
        raise ValueError("membrane calibration needs at least one calibration sample")
    target = analog.evaluate(graph, x).rate  # raises, naming the node, for anything but IF populations
    hidden = [name for name in plan(graph, "same-step").order if name in graph.populations and name != graph.output]
    nodes = dict(graph.nodes)
    for _ in range(rounds):
        for name in hidden:
            # the population under calibration is recorded as the run's output
            recorded = ir.Graph(nodes=nodes, edges=graph.edges, metadata={**graph.metadata, "output": name})
            measured = _net_rates(recorded, x, int(timesteps), batch_size)
            wanted = np.minimum(target[name], 1.0)  # at most one event per step
            node = nodes[name]
            shift = timesteps * _per_channel_mean(wanted - measured) * node.v_threshold
            nodes[name] = dataclasses.replace(node, v_initial=node.v_initial + shift)
    conversion = graph.metadata.get("conversion")
    conversion = dict(conversion) if isinstance(conversion, dict) else {}
    conversion[RECORD_KEY] = {"timesteps": int(timesteps), "rounds": int(rounds), "samples": int(len(x)),
                              "input": "analog", "latency_model": "same-step"}
    return ir.Graph(nodes=nodes, edges=graph.edges, metadata={**graph.metadata, "conversion": conversion})
