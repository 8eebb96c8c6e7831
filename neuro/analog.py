"""The rate (ANN-equivalent) reading of a graph of IF populations.

A converted network is a graph whose populations stand for ReLU units: a
population with input gain ``r`` and threshold ``v_threshold`` that integrates a
net input ``z`` per step fires at the rate ``relu(r * z) / v_threshold`` (reset by
subtraction, ignoring the clip at one event per step). :func:`evaluate` computes
those rates layer by layer with the dense operators of :mod:`neuro.ops`, so it
gives the ANN's outputs from the graph alone: ``neuro run`` reports the ANN's
accuracy with it, and the per-layer comparison of ANN activations with SNN rates
uses it. Max-pool gates read as ``max``. Populations converted from a quantised
ReLU (``conversion["quantised_populations"]``, ``L = conversion["activation_levels"]``)
read as that activation, ``clip(floor(z·L/θ + ½)/L, 0, 1)`` events per step: the
quantised ANN the network was trained as.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuro import ir
from neuro.ops import chain_bias, forward
from neuro.plan import plan

__all__ = ["AnalogResult", "evaluate"]


@dataclass(frozen=True, eq=False)
class AnalogResult:
    """Per population: ``net_input`` (``r * z`` per step) and ``rate`` (events per step, unclipped)."""

    output: str
    net_input: dict[str, np.ndarray]
    rate: dict[str, np.ndarray]

    @property
    def logits(self) -> np.ndarray:
        """Net input of the output population: what the ANN's last layer computes."""
        return self.net_input[self.output]


def evaluate(graph: ir.Graph, x) -> AnalogResult:
    """Evaluate a feed-forward graph of IF populations in the rate domain.

    ``x`` is a batch ``(batch, *input_shape)`` for the graph's single input.
    """
    if len(graph.inputs) != 1:
        raise ValueError(f"analog evaluation needs exactly one Input node, the graph has {len(graph.inputs)}")
    for name in graph.populations:
        if type(graph.nodes[name]) is not ir.IF:
            raise ValueError(f"analog evaluation reads IF populations as ReLU units; {name!r} is "
                             f"{type(graph.nodes[name]).__name__}")
    x = np.asarray(x, dtype=np.float64)
    (input_name,) = graph.inputs
    if x.shape[1:] != graph.shapes[input_name]:
        raise ValueError(f"x has sample shape {x.shape[1:]}, the graph's input is {graph.shapes[input_name]}")
    the_plan = plan(graph, "same-step")
    if any(p.min_delay(graph) > 0 for p in the_plan.projections):
        raise ValueError("analog evaluation needs a feed-forward graph without delayed (recurrent) synapses")
    values = {input_name: x}
    net_input: dict[str, np.ndarray] = {}
    conversion = graph.metadata.get("conversion") if isinstance(graph.metadata.get("conversion"), dict) else {}
    quantised = set(conversion.get("quantised_populations", ()))
    levels = conversion.get("activation_levels")
    for name in the_plan.order:
        if name == input_name:
            continue
        node = graph.nodes[name]
        total = np.zeros((x.shape[0], *graph.shapes[name]))
        for projection in (p for p in the_plan.projections if p.target == name):
            value = values[projection.source]
            for link in projection.chain:
                value = forward(graph.nodes[link], value)
            constant = chain_bias([graph.nodes[n] for n in projection.chain],
                                  [graph.shapes[n] for n in projection.chain])
            total = total + value.reshape(total.shape) + (0 if constant is None else constant)
        net_input[name] = node.r * total
        if name in quantised:
            values[name] = np.clip(np.floor(net_input[name] / node.v_threshold * levels + 0.5) / levels, 0.0, 1.0)
        else:
            values[name] = np.maximum(net_input[name], 0.0) / node.v_threshold
    return AnalogResult(output=graph.output, net_input=net_input,
                        rate={n: values[n] for n in graph.populations})
