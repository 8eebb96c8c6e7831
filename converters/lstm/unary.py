"""What the two binary-spike LSTM realisations share (:mod:`converters.lstm.binary`,
:mod:`converters.lstm.rate`): the piecewise-linear LSTM worked out with arrays on unary
grids (the oracle of both), memoryless threshold units, and synapse maps built from index
arrays and read back as matrices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuro import ir

__all__ = ["MEMORYLESS_TAU", "AND_THRESHOLD", "check_count", "line_thresholds", "unary_count", "unary_signed",
           "Grids", "lstm_logits", "threshold_units", "sparse_map", "dense_of"]

# A membrane time constant far below any step: the membrane decays to exactly 0 within a step
# (exp(-dt / tau) underflows), so a unit fires on this step's input alone.
MEMORYLESS_TAU = 1e-15
AND_THRESHOLD = 1.5  # two inputs of weight 1: fires only when both arrive


# A value's lines (levels) or ticks (window) multiply into the network's size: a product of two values takes
# their product in AND units. Beyond this the network would not fit a machine, let alone a chip.
MAX_COUNT = 256


def check_count(name: str, value, maximum: int = MAX_COUNT) -> None:
    """Refuse ``value`` unless it is an integer in [1, maximum] (a number of lines, levels or ticks)."""
    if not isinstance(value, int | np.integer) or isinstance(value, bool) or not 1 <= value <= maximum:
        raise ValueError(f"{name} must be an integer in [1, {maximum}], got {value!r}")


def line_thresholds(levels: int, lines: int) -> np.ndarray:
    """Line k of a value on a grid of ``levels`` fires while the value is at least ``(k + 1/2) / levels``."""
    return (np.arange(lines) + 0.5) / levels


def unary_count(value: np.ndarray, levels: int, lines: int) -> np.ndarray:
    """How many of ``lines`` lines fire for ``value`` (>= 0)."""
    return (value[..., None] >= line_thresholds(levels, lines)).sum(-1)


def unary_signed(value: np.ndarray, levels: int, lines: int) -> np.ndarray:
    """``value`` as its signed lines carry it."""
    return (unary_count(value, levels, lines) - unary_count(-value, levels, lines)) / levels


@dataclass(frozen=True)
class Grids:
    """The unary grids a realisation rounds to: gates and hidden state to ``1 / levels``, the
    cell state to ``1 / cell_levels`` within ``cell_lines`` steps per sign; ``tanh c`` taken of the
    cell state on its grid, or (``tanh_of_exact_cell``) of the exact sum and rounded to ``1 / levels``."""

    levels: float
    cell_levels: float
    cell_lines: int
    tanh_of_exact_cell: bool = False


def lstm_logits(layers: list[dict], weight: np.ndarray, bias: np.ndarray, x: np.ndarray,
                grids: Grids | None) -> np.ndarray:
    """The piecewise-linear LSTM classifier with arrays: on the unary ``grids``, or exact (``None``)."""
    def gate_grid(value):  # i, f, o
        return value if grids is None else unary_count(value, grids.levels, grids.levels) / grids.levels

    def signed_grid(value):  # g and h
        return value if grids is None else unary_signed(value, grids.levels, int(grids.levels))

    def cell_grid(value):
        return value if grids is None else unary_signed(value, grids.cell_levels, grids.cell_lines)

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


def threshold_units(thresholds: np.ndarray) -> ir.LIF:
    """Threshold units: binary LIF neurons that fire when this step's input reaches ``thresholds``."""
    return ir.LIF(tau=np.full(thresholds.size, MEMORYLESS_TAU), v_threshold=thresholds, reset="value")


def sparse_map(n_in: int, n_out: int, pre, post, weight, delay) -> ir.Sparse:
    """A :class:`neuro.ir.Sparse` map from index, weight and delay arrays (scalars broadcast)."""
    pre, post, weight, delay = np.broadcast_arrays(np.asarray(pre), np.asarray(post), np.asarray(weight, float),
                                                   np.asarray(delay))
    return ir.Sparse(n_in, n_out, pre=pre.ravel(), post=post.ravel(), weight=weight.ravel(),
                     delay=delay.ravel().astype(np.int64))


def dense_of(node: ir.Sparse, delay: int | None = None, pre: int | None = None) -> np.ndarray:
    """The synapses of ``node`` as an ``(n_out, n_in)`` matrix: those at ``delay`` and from source
    neuron ``pre`` only, where given. Synapses that join the same pair add up, as they do in
    the engine."""
    keep = np.ones(node.pre.size, bool)
    if delay is not None:
        keep &= node.delay == delay
    if pre is not None:
        keep &= node.pre == pre
    matrix = np.zeros((node.n_out, node.n_in))
    np.add.at(matrix, (node.post[keep], node.pre[keep]), node.weight[keep])
    return matrix


