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

from converters.lstm import _layers
from neuro import ir

__all__ = ["BinaryLSTMConfig", "from_lstm_binary", "unary_logits", "ann_logits"]

# A membrane time constant far below any step: the membrane decays to exactly 0 within a step
# (exp(-dt / tau) underflows), so a unit fires on this step's input alone.
MEMORYLESS_TAU = 1e-15
_AND_THRESHOLD = 1.5  # two inputs of weight 1: fires only when both arrive


def _check_count(name: str, value) -> None:
    if not isinstance(value, int | np.integer) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")


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
            _check_count(name, getattr(self, name))
        lines = self.cell_range * self.cell_levels
        if not (math.isfinite(lines) and self.cell_range >= 1 and abs(lines - round(lines)) < 1e-9):
            raise ValueError(f"cell_range must be >= 1 and a whole number of cell steps (1/{self.cell_levels}), "
                             f"got {self.cell_range!r}")

    @property
    def cell_lines(self) -> int:
        """Lines per sign of the cell state."""
        return int(round(self.cell_range * self.cell_levels))


def _line_thresholds(levels: int, lines: int) -> np.ndarray:
    return (np.arange(lines) + 0.5) / levels


def _count(value: np.ndarray, levels: int, lines: int) -> np.ndarray:
    """How many of ``lines`` lines fire for ``value`` (>= 0)."""
    return (value[..., None] >= _line_thresholds(levels, lines)).sum(-1)


def _signed(value: np.ndarray, levels: int, lines: int) -> np.ndarray:
    """``value`` as its signed lines carry it."""
    return (_count(value, levels, lines) - _count(-value, levels, lines)) / levels


def unary_logits(model: nn.Module, x: np.ndarray, config: BinaryLSTMConfig | None = None) -> np.ndarray:
    """The class scores the binary network computes, worked out with arrays: ``x`` is
    ``(batch, length, features)``."""
    config = BinaryLSTMConfig() if config is None else config
    layers, readout, _ = _layers(model.eval(), config)
    return _lstm_logits(layers, readout.weight.detach().double().numpy(), readout.bias.detach().double().numpy(),
                        x, _Grids(config.levels, config.cell_levels, config.cell_lines))


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
            recurrent = np.zeros((sparse.n_out, sparse.n_in))
            recurrent[sparse.post, sparse.pre] = sparse.weight
            w_ih = dense.weight[rows] * scale
            parts["w_ih"].append(w_ih if k == 0 else w_ih[:, first] * levels)  # layer 0 reads the input itself
            parts["w_hh"].append(recurrent[rows][:, first] * levels * scale)
            parts["bias"].append((dense.bias[rows] - offset) * scale)
        layers.append({key: np.concatenate(value) for key, value in parts.items()})
    readout = graph.nodes["readout"]
    return _lstm_logits(layers, readout.weight[:, first] * levels, readout.bias, x, None)


@dataclass(frozen=True)
class _Grids:
    """The unary grids a realisation rounds to: gates and hidden state to ``1 / levels``, the
    cell state to ``1 / cell_levels`` within ``cell_lines`` steps per sign; ``tanh c`` taken of the
    cell state on its grid, or (``tanh_of_exact_cell``) of the exact sum and rounded to ``1 / levels``."""

    levels: float
    cell_levels: float
    cell_lines: int
    tanh_of_exact_cell: bool = False


def _lstm_logits(layers: list[dict], weight: np.ndarray, bias: np.ndarray, x: np.ndarray,
                 grids: _Grids | None) -> np.ndarray:
    """The piecewise-linear LSTM classifier with arrays: on the unary ``grids``, or exact (``None``)."""
    def gate_grid(value):  # i, f, o
        return value if grids is None else _count(value, grids.levels, grids.levels) / grids.levels

    def signed_grid(value):  # g and h
        return value if grids is None else _signed(value, grids.levels, int(grids.levels))

    def cell_grid(value):
        return value if grids is None else _signed(value, grids.cell_levels, grids.cell_lines)

    x = np.asarray(x, np.float64)
    for layer in layers:
        hidden = layer["w_hh"].shape[1]
        h = c = np.zeros((x.shape[0], hidden))
        outputs = []
        for t in range(x.shape[1]):
            zi, zf, zg, zo = np.split(x[:, t] @ layer["w_ih"].T + layer["bias"] + h @ layer["w_hh"].T, 4, axis=1)
            i, f, o = (gate_grid(np.clip(0.25 * z + 0.5, 0, 1)) for z in (zi, zf, zo))
            g = signed_grid(np.clip(zg, -1, 1))
            exact_cell = i * g + f * c
            c = cell_grid(exact_cell)
            if grids is not None and grids.tanh_of_exact_cell:
                tanh_c = signed_grid(np.clip(exact_cell, -1, 1))
            else:
                tanh_c = np.clip(c, -1, 1)
            h = signed_grid(o * tanh_c)
            outputs.append(h)
        x = np.stack(outputs, axis=1)
    return x[:, -1] @ weight.T + bias


def _units(thresholds: np.ndarray) -> ir.LIF:
    """Threshold units: binary LIF neurons that fire when this step's input reaches ``thresholds``."""
    return ir.LIF(tau=np.full(thresholds.size, MEMORYLESS_TAU), v_threshold=thresholds, reset="value")


def _signs(lines: int) -> np.ndarray:
    """The sign of each line of a signed row: ``lines`` positive, then ``lines`` negative."""
    return np.repeat([1.0, -1.0], lines)


def _block_diagonal(units: int, block: np.ndarray) -> ir.Sparse:
    """The same ``(inputs, outputs)`` block of synapses for every unit, unit u's inputs to unit u's outputs."""
    n_in, n_out = block.shape
    pre, post = np.nonzero(np.ones_like(block))
    offsets = np.arange(units)[:, None]
    return ir.Sparse(units * n_in, units * n_out, pre=(offsets * n_in + pre).ravel(),
                     post=(offsets * n_out + post).ravel(), weight=np.tile(block[pre, post], units))


def _select(n_in: int, pre: np.ndarray, delay: int = 0) -> ir.Sparse:
    """One synapse of weight 1 from input ``pre[a]`` to output ``a``."""
    return ir.Sparse(n_in, pre.size, pre=pre, post=np.arange(pre.size), weight=np.ones(pre.size),
                     delay=np.full(pre.size, delay, np.int64))


def _all_to_all(weight: np.ndarray, delay: int) -> ir.Sparse:
    post, pre = np.nonzero(np.ones_like(weight))
    return ir.Sparse(weight.shape[1], weight.shape[0], pre=pre, post=post, weight=weight[post, pre],
                     delay=np.full(pre.size, delay, np.int64))


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
            nodes[f"{p}{gate}"] = _units(np.tile(_line_thresholds(levels, levels), hidden))
            _gate_inputs(nodes, edges, p, gate, expand, 0.5, layer, rows[index], source, source_value, h_value)
        expand = np.zeros((hidden * 2 * levels, hidden))  # g: a row per sign, the negative one reads -z
        expand[np.arange(hidden * 2 * levels), signed_unit_of] = np.tile(_signs(levels), hidden)
        nodes[f"{p}g"] = _units(np.tile(_line_thresholds(levels, levels), 2 * hidden))
        _gate_inputs(nodes, edges, p, "g", expand, 0.0, layer, rows[2], source, source_value, h_value)

        for name, first, second, second_used, delay in (("ig", "i", "g", levels, 0),
                                                        ("fc", "f", "c", cell_lines, 1),
                                                        ("oc", "o", "c", cell_levels, 0)):
            per_sign = levels if second == "g" else cell_lines
            first_index, second_index = _pairs(hidden, levels, second_used, per_sign)
            nodes[f"{p}{name}"] = _units(np.full(first_index.size, _AND_THRESHOLD))
            nodes[f"{p}{name}_{first}"] = _select(hidden * levels, first_index)
            nodes[f"{p}{name}_{second}"] = _select(hidden * 2 * per_sign, second_index, delay)
            edges += [(f"{p}{first}", f"{p}{name}_{first}"), (f"{p}{name}_{first}", f"{p}{name}"),
                      (f"{p}{second}", f"{p}{name}_{second}"), (f"{p}{name}_{second}", f"{p}{name}")]

        cell_signs = _signs(cell_lines)
        nodes[f"{p}c"] = _units(np.tile(_line_thresholds(cell_levels, cell_lines), 2 * hidden))
        nodes[f"{p}c_ig"] = _block_diagonal(hidden, _shares(levels, levels, 1.0 / levels ** 2, cell_signs))
        nodes[f"{p}c_fc"] = _block_diagonal(hidden, _shares(levels, cell_lines, 1.0 / (levels * cell_levels),
                                                            cell_signs))
        nodes[f"{p}h"] = _units(np.tile(_line_thresholds(levels, levels), 2 * hidden))
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
    nodes["output"] = ir.LIF(tau=np.full(bias.size, MEMORYLESS_TAU), v_threshold=bound, reset="value")
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
