"""The binary-spike realisation of a piecewise-linear LSTM, for chips without graded spikes.

Every value is carried by a row of binary *lines* (a unary, thermometer code):
line ``k`` of a value ``v`` on a grid of ``levels`` fires while ``v >= (k + 1/2) / levels``,
so the number of lines firing is ``v`` rounded to the grid. Signed values (the
``g`` gate, the cell state, the hidden state) have a row for each sign.

* **Gates** -- each line is a threshold unit on the gate's pre-activation ``z``:
  hard-sigmoid and hard-tanh become the lines' thresholds, and their clipping
  comes free (there are only ``levels`` lines).
* **Products** -- ``i * g``, ``f * c`` and ``o * tanh c`` are AND units, one per
  pair of lines of the two factors: the number firing is the product of the
  counts, exactly.
* **Cell state** -- lines on the sum of the ``i * g`` and ``f * c`` units'
  outputs, on a grid of ``cell_levels`` up to ``+-cell_range``; ``tanh c`` is the
  first ``cell_levels`` lines of each sign (hard-tanh clips at 1).
* **Hidden state** -- lines on the sum of the ``o * tanh c`` units. They feed the
  gates one step later (the recurrence), the next layer, and the readout.

Every unit is a binary LIF neuron whose membrane forgets within a step (a
threshold unit), so the whole cell runs in one tick per sequence element, as the
graded form does; the recurrent connections (``h`` to the gates, ``c`` into
``f * c``) carry a one-step delay. Only binary spikes and ordinary synapses are
used: the network maps onto binary-spike chips (TrueNorth, Loihi), subject to
their fan-in limits. The cost is size: ``levels * levels`` AND units per product
and hidden unit. :func:`unary_logits` computes the same arithmetic directly (the
oracle of the tests and a quick accuracy estimate).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from torch import nn

from converters.lstm.graded import _layers
from converters.lstm.unary import (
    AND_THRESHOLD,
    MAX_COUNT,
    Grids,
    check_count,
    dense_of,
    line_thresholds,
    lstm_logits,
    sparse_map,
    threshold_units,
)
from neuro import ir

__all__ = ["BinaryLSTMConfig", "from_lstm_binary", "unary_logits", "ann_logits"]


@dataclass(frozen=True, kw_only=True)
class BinaryLSTMConfig:
    """How an LSTM becomes a binary-spike network.

    Parameters
    ----------
    levels
        Lines per unit of value for the gates and the hidden state (their
        resolution is ``1 / levels``).
    cell_levels
        Lines per unit of value for the cell state.
    cell_range
        The cell state is held within ``+-cell_range`` (``cell_range * cell_levels``
        lines per sign).
    approximate_smooth
        As :class:`converters.lstm.LSTMConfig`.
    """

    levels: int = 16
    cell_levels: int = 16
    cell_range: float = 2.0
    approximate_smooth: bool = False

    def __post_init__(self):
        for name in ("levels", "cell_levels"):
            check_count(name, getattr(self, name))
        lines = self.cell_range * self.cell_levels
        if not (math.isfinite(lines) and self.cell_range >= 1 and abs(lines - round(lines)) < 1e-9):
            raise ValueError(f"cell_range must be >= 1 and a whole number of cell steps (1/{self.cell_levels}), "
                             f"got {self.cell_range!r}")
        if lines > 16 * MAX_COUNT:
            raise ValueError(f"cell_range x cell_levels = {lines:g} lines per sign of the cell state; at most "
                             f"{16 * MAX_COUNT}")

    @property
    def cell_lines(self) -> int:
        """Lines per sign of the cell state."""
        return int(round(self.cell_range * self.cell_levels))


def unary_logits(model: nn.Module, x: np.ndarray, config: BinaryLSTMConfig | None = None) -> np.ndarray:
    """The class scores the binary network computes, worked out with arrays: ``x`` is
    ``(batch, length, features)``."""
    config = BinaryLSTMConfig() if config is None else config
    layers, readout, _ = _layers(model.eval(), config)
    return lstm_logits(layers, readout.weight.detach().double().numpy(), readout.bias.detach().double().numpy(),
                        x, Grids(config.levels, config.cell_levels, config.cell_lines))


def ann_logits(graph: ir.Graph, x: np.ndarray) -> np.ndarray:
    """The class scores of the LSTM a binary network was built from, with its weights read back
    from the network (exactly when ``levels`` is a power of two; otherwise to a rounding)."""
    conversion = graph.metadata.get("conversion", {})
    if conversion.get("realisation") != "binary":
        raise ValueError("ann_logits reads back networks made by from_lstm_binary")
    levels = int(conversion["levels"])
    first = slice(0, None, 2 * levels)  # the first positive line of each unit of a signed row (g, h)
    layers = []
    for k in range(int(conversion["layers"])):
        parts = {"w_ih": [], "w_hh": [], "bias": []}
        unsigned = slice(0, None, levels)  # the first line of each unit of a gate that reads 0.25 z + 0.5
        for gate, rows, scale, offset in (("i", unsigned, 4.0, 0.5), ("f", unsigned, 4.0, 0.5), ("g", first, 1.0, 0.0),
                                          ("o", unsigned, 4.0, 0.5)):
            dense, sparse = graph.nodes[f"l{k}_wx_{gate}"], graph.nodes[f"l{k}_wh_{gate}"]
            recurrent = dense_of(sparse)
            w_ih = dense.weight[rows] * scale
            parts["w_ih"].append(w_ih if k == 0 else w_ih[:, first] * levels)  # layer 0 reads the input itself
            parts["w_hh"].append(recurrent[rows][:, first] * levels * scale)
            parts["bias"].append((dense.bias[rows] - offset) * scale)
        layers.append({key: np.concatenate(value) for key, value in parts.items()})
    readout = graph.nodes["readout"]
    return lstm_logits(layers, readout.weight[:, first] * levels, readout.bias, x, None)


def _signs(lines: int) -> np.ndarray:
    """The sign of each line of a signed row: ``lines`` positive, then ``lines`` negative."""
    return np.repeat([1.0, -1.0], lines)


def _block_diagonal(units: int, block: np.ndarray) -> ir.Sparse:
    """The same ``(inputs, outputs)`` block of synapses for every unit, unit u's inputs to unit u's outputs."""
    n_in, n_out = block.shape
    pre, post = np.nonzero(np.ones_like(block))
    offsets = np.arange(units)[:, None]
    return sparse_map(units * n_in, units * n_out, (offsets * n_in + pre).ravel(), (offsets * n_out + post).ravel(),
                      np.tile(block[pre, post], units), 0)


def _select(n_in: int, pre: np.ndarray, delay: int = 0) -> ir.Sparse:
    """One synapse of weight 1 from input ``pre[a]`` to output ``a``."""
    return sparse_map(n_in, pre.size, pre, np.arange(pre.size), 1.0, delay)


def _all_to_all(weight: np.ndarray, delay: int) -> ir.Sparse:
    post, pre = np.nonzero(np.ones_like(weight))
    return sparse_map(weight.shape[1], weight.shape[0], pre, post, weight[post, pre], delay)


def _pairs(hidden: int, levels: int, second_used: int, second_per_sign: int) -> tuple[np.ndarray, np.ndarray]:
    """The AND units of a product, indexed (unit, line of the first factor, sign, line of the second
    factor): for each, the index of its first-factor line and of its second-factor line."""
    u, j, s, m = np.meshgrid(np.arange(hidden), np.arange(levels), np.arange(2), np.arange(second_used),
                             indexing="ij")
    return (u * levels + j).ravel(), (u * 2 * second_per_sign + s * second_per_sign + m).ravel()


def _shares(levels: int, second_used: int, scale: float, out_signs: np.ndarray) -> np.ndarray:
    """One unit's block from its AND units (as :func:`_pairs` orders them) to its output lines: each
    AND unit adds ``+-scale`` by the sign of its second factor, and a negative line reads minus the sum."""
    and_signs = np.tile(np.repeat([1.0, -1.0], second_used), levels)
    return np.outer(and_signs, out_signs) * scale


def from_lstm_binary(model: nn.Module, config: BinaryLSTMConfig | None = None) -> ir.Graph:
    """The binary-spike (unary-coded) realisation of a trained LSTM classifier."""
    config = BinaryLSTMConfig() if config is None else config
    layers, readout, approximations = _layers(model.eval(), config)
    levels, cell_levels, cell_lines = config.levels, config.cell_levels, config.cell_lines
    hidden = layers[0]["w_hh"].shape[1]
    unit_of = np.repeat(np.arange(hidden), levels)  # gate line -> its unit
    signed_unit_of = np.repeat(np.arange(hidden), 2 * levels)  # g or h line -> its unit
    h_value = np.zeros((hidden * 2 * levels, hidden))  # h line -> the value it carries, per unit
    h_value[np.arange(h_value.shape[0]), signed_unit_of] = np.tile(_signs(levels), hidden) / levels

    nodes: dict[str, object] = {"input": ir.Input((layers[0]["w_ih"].shape[1],))}
    edges: list[tuple[str, str]] = []
    source, source_value = "input", np.eye(layers[0]["w_ih"].shape[1])  # source neuron -> the value it carries
    for k, layer in enumerate(layers):
        p = f"l{k}_"
        rows = np.split(np.arange(4 * hidden), 4)
        for gate, index in (("i", 0), ("f", 1), ("o", 3)):
            # the lines read 0.25 z + 0.5 (hard-sigmoid before its clipping, which the line count does)
            expand = np.zeros((hidden * levels, hidden))
            expand[np.arange(hidden * levels), unit_of] = 0.25
            nodes[f"{p}{gate}"] = threshold_units(np.tile(line_thresholds(levels, levels), hidden))
            _gate_inputs(nodes, edges, p, gate, expand, 0.5, layer, rows[index], source, source_value, h_value)
        expand = np.zeros((hidden * 2 * levels, hidden))  # g: a row per sign, the negative one reads -z
        expand[np.arange(hidden * 2 * levels), signed_unit_of] = np.tile(_signs(levels), hidden)
        nodes[f"{p}g"] = threshold_units(np.tile(line_thresholds(levels, levels), 2 * hidden))
        _gate_inputs(nodes, edges, p, "g", expand, 0.0, layer, rows[2], source, source_value, h_value)

        for name, first, second, second_used, delay in (("ig", "i", "g", levels, 0),
                                                        ("fc", "f", "c", cell_lines, 1),
                                                        ("oc", "o", "c", cell_levels, 0)):
            per_sign = levels if second == "g" else cell_lines
            first_index, second_index = _pairs(hidden, levels, second_used, per_sign)
            nodes[f"{p}{name}"] = threshold_units(np.full(first_index.size, AND_THRESHOLD))
            nodes[f"{p}{name}_{first}"] = _select(hidden * levels, first_index)
            nodes[f"{p}{name}_{second}"] = _select(hidden * 2 * per_sign, second_index, delay)
            edges += [(f"{p}{first}", f"{p}{name}_{first}"), (f"{p}{name}_{first}", f"{p}{name}"),
                      (f"{p}{second}", f"{p}{name}_{second}"), (f"{p}{name}_{second}", f"{p}{name}")]

        cell_signs = _signs(cell_lines)
        nodes[f"{p}c"] = threshold_units(np.tile(line_thresholds(cell_levels, cell_lines), 2 * hidden))
        nodes[f"{p}c_ig"] = _block_diagonal(hidden, _shares(levels, levels, 1.0 / levels ** 2, cell_signs))
        nodes[f"{p}c_fc"] = _block_diagonal(hidden, _shares(levels, cell_lines, 1.0 / (levels * cell_levels),
                                                            cell_signs))
        nodes[f"{p}h"] = threshold_units(np.tile(line_thresholds(levels, levels), 2 * hidden))
        nodes[f"{p}h_oc"] = _block_diagonal(hidden, _shares(levels, cell_levels, 1.0 / (levels * cell_levels),
                                                            _signs(levels)))
        edges += [(f"{p}ig", f"{p}c_ig"), (f"{p}c_ig", f"{p}c"), (f"{p}fc", f"{p}c_fc"), (f"{p}c_fc", f"{p}c"),
                  (f"{p}oc", f"{p}h_oc"), (f"{p}h_oc", f"{p}h")]
        source, source_value = f"{p}h", h_value

    weight = readout.weight.detach().double().numpy()
    bias = readout.bias.detach().double().numpy()
    nodes["readout"] = ir.Dense(weight @ source_value.T, bias)
    # never fires: its membrane is the class scores of this step, read at the last one
    bound = np.abs(weight).sum(axis=1) + np.abs(bias) + 1.0
    nodes["output"] = threshold_units(bound)
    edges += [(source, "readout"), ("readout", "output")]
    metadata = {"conversion": {
        "method": "lstm binary (unary-coded lines, AND products)", "realisation": "binary",
        "levels": levels, "cell_levels": cell_levels, "cell_range": config.cell_range,
        "input": "sequence", "ticks_per_element": 1, "readout": "value", "layers": len(layers),
        "hidden": hidden, "approximations": approximations, "config": asdict(config),
    }, "output": "output"}
    return ir.Graph(nodes=nodes, edges=tuple(edges), metadata=metadata)


def _gate_inputs(nodes, edges, p, gate, expand, offset, layer, rows, source, source_value, h_value) -> None:
    """A gate's lines read ``expand @ z + offset``; ``z`` is the layer input through ``w_ih`` (with the
    bias) and, one step late, the hidden state through ``w_hh``."""
    nodes[f"{p}wx_{gate}"] = ir.Dense(expand @ layer["w_ih"][rows] @ source_value.T,
                                      expand @ layer["bias"][rows] + offset)
    nodes[f"{p}wh_{gate}"] = _all_to_all(expand @ layer["w_hh"][rows] @ h_value.T, delay=1)
    edges += [(source, f"{p}wx_{gate}"), (f"{p}wx_{gate}", f"{p}{gate}"),
              (f"{p}h", f"{p}wh_{gate}"), (f"{p}wh_{gate}", f"{p}{gate}")]
