"""The rate-coded realisation of a piecewise-linear LSTM: binary spikes, K ticks per value.

Every value travels as a *burst*: a count of spikes ``n`` in a window of ``K`` ticks,
fired on the window's first ``n`` ticks (a thermometer code in time). A gate or hidden
value ``v`` in [0, 1] is ``n / K``; a signed one has a neuron per sign.

* **Accumulate, then release.** Each gate, cell and hidden neuron is an IF
  integrator that sums its inputs over one window and fires the rounded sum in the
  next: held below threshold by ``-B`` while it sums, lifted by ``B`` plus its
  offset (bias, the hard-sigmoid's 0.5, and 1/2 for rounding) when it releases, so
  it fires on the first ``floor(sum)`` ticks. At most one spike per tick makes the
  clipping at ``K`` free; a sum below 1 fires nothing, so the clipping at 0 is free too.
* **Cleared every period, exactly.** Every input synapse has a twin of the opposite
  weight arriving ``2K`` ticks later, and every spike a neuron fires gives it back 1,
  ``K`` ticks later: after each period the membrane is back at ``-B``.
* **Products by coincidence.** ``a * b`` for two bursts is a row of K AND units: unit
  ``d`` sees ``a`` one window late and ``b`` at delays ``d`` and ``K + d`` (``b``
  circularly shifted by ``d``), so over the window the units fire ``n_a * n_b`` times
  in all, exactly. The cell and hidden integrators sum these coincidences.
* **Clock.** A ring of five IF neurons, one spike per phase of the period, lifts and
  drops the integrators; the ring of layer ``k + 1`` follows that of layer ``k`` one
  period later.

One element takes a period of ``5K + 2`` ticks: the gates sum ``x`` and ``h``
(``[0, K)``), release (``[K, 2K)``); ``i * g`` and ``f * c`` coincide (``[2K, 3K)``);
the cell sums them and releases ``c`` and ``tanh c`` (``[3K + 1, 4K + 1)``);
``o * tanh c`` coincides and the hidden state sums it (``[4K + 1, 4K + 2 + K)``) and
releases at the start of the next period, while the gates sum the next element,
which the input holds for the period's first K ticks. The readout is a
non-spiking integrator cleared the same way, read at the last tick of the last
hidden burst. The cell state is on a grid of ``cell_range / K`` within
``+-cell_range``; ``tanh c`` is taken of the exact new cell value and rounded to
``1 / K``. :func:`rate_logits` computes the same arithmetic with arrays.

Delays stay within ``3K + 1`` ticks (the cell state's way to the next ``f * c`` goes
through a relay), so K <= 20 fits a chip allowing 62-step delays (Loihi).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
from torch import nn

from converters.lstm.graded import _layers
from converters.lstm.unary import AND_THRESHOLD, Grids, check_count, dense_of, lstm_logits, sparse_map, threshold_units
from neuro import ir

__all__ = ["RateLSTMConfig", "from_lstm_rate", "rate_logits", "rate_ann_logits", "period"]

_GATES = ("i", "f", "o", "g+", "g-")  # the gate integrators of a unit, in this order per layer
_CELL = ("c+", "c-", "t+", "t-")  # the cell's: its state for f * c, and tanh c


@dataclass(frozen=True, kw_only=True)
class RateLSTMConfig:
    """How an LSTM becomes a rate-coded binary-spike network.

    Parameters
    ----------
    window
        K: ticks each element is held and each value's burst lasts (the resolution of
        gates and hidden state is ``1 / K``). One element takes ``5K + 2`` ticks.
    cell_range
        The cell state is held within ``+-cell_range``, on a grid of ``cell_range / K``.
    input_bound
        The largest ``|x|`` the integrators are sized for (their hold-down ``B``).
    approximate_smooth
        As :class:`converters.lstm.LSTMConfig`.
    """

    window: int = 16
    cell_range: float = 2.0
    input_bound: float = 100.0
    approximate_smooth: bool = False

    def __post_init__(self):
        check_count("window", self.window)
        if not (math.isfinite(self.cell_range) and self.cell_range >= 1):
            raise ValueError(f"cell_range must be a number >= 1, got {self.cell_range!r}")
        if not (math.isfinite(self.input_bound) and self.input_bound > 0):
            raise ValueError(f"input_bound must be a positive number, got {self.input_bound!r}")

    @property
    def grids(self) -> Grids:
        return Grids(self.window, self.window / self.cell_range, self.window, tanh_of_exact_cell=True)


def period(window: int) -> int:
    """Ticks per sequence element for a window of K ticks."""
    return 5 * window + 2


def rate_logits(model: nn.Module, x: np.ndarray, config: RateLSTMConfig | None = None) -> np.ndarray:
    """The class scores the rate-coded network computes, with arrays: ``x`` is ``(batch, length, features)``."""
    config = RateLSTMConfig() if config is None else config
    layers, readout, _ = _layers(model.eval(), config)
    return lstm_logits(layers, readout.weight.detach().double().numpy(), readout.bias.detach().double().numpy(),
                        x, config.grids)


def _with_twins(matrix: np.ndarray, delay: int, twin_delay: int) -> ir.Sparse:
    """Every non-zero ``matrix[post, pre]`` as a synapse at ``delay``, and its negation at ``twin_delay``."""
    post, pre = np.nonzero(matrix)
    weight = matrix[post, pre]
    return sparse_map(matrix.shape[1], matrix.shape[0], np.tile(pre, 2), np.tile(post, 2),
                      np.concatenate([weight, -weight]),
                      np.concatenate([np.full(pre.size, delay), np.full(pre.size, twin_delay)]))


def _hold_down(reach: np.ndarray, offsets: np.ndarray, window: int) -> np.ndarray:
    """``B`` for a population of integrators: a power of two above anything a membrane can reach
    while held down (``reach``, the most its inputs add in a window; its offset; a window of
    give-backs). One value for all, so a chip's weight grid holds it exactly."""
    bound = np.max(reach + np.abs(offsets)) + window + 2.0
    return np.full(np.size(offsets), 2.0 ** np.ceil(np.log2(2 * bound)))


def _integrators(hold_down: np.ndarray) -> ir.IF:
    return ir.IF(v_threshold=np.ones(hold_down.size), v_initial=-hold_down, reset="subtract")


def _restore(size: int, window: int) -> ir.Sparse:
    """Each spike gives its neuron back the 1 it took, a window later (while it is held down)."""
    return sparse_map(size, size, np.arange(size), np.arange(size), 1.0, window)


def _clock_lifts(size: int, lift: np.ndarray, up: int, down: int) -> ir.Sparse:
    """From the clock ring: ``+lift`` when ring neuron ``up`` fires, ``-lift`` when ``down`` does."""
    targets = np.arange(size)
    return sparse_map(5, size, np.concatenate([np.full(size, up), np.full(size, down)]), np.tile(targets, 2),
                      np.concatenate([lift, -lift]), 0)


def _coincidences(hidden: int, window: int, first_rows: np.ndarray, first_delay: int, second_rows: np.ndarray,
                  second_delay: int, n_first: int, n_second: int) -> tuple[ir.Sparse, ir.Sparse]:
    """The two input maps of a product's AND units, ordered (unit, sign of the second factor, d):
    the first factor (row ``first_rows[u]``) one window late at ``first_delay``; the second (row
    ``second_rows[s, u]``) at ``second_delay + d - K`` and ``second_delay + d``."""
    u, s, d = np.meshgrid(np.arange(hidden), np.arange(2), np.arange(window), indexing="ij")
    u, s, d = u.ravel(), s.ravel(), d.ravel()
    units = np.arange(u.size)
    first = sparse_map(n_first, u.size, first_rows[u], units, 1.0, first_delay)
    second = sparse_map(n_second, u.size, np.tile(second_rows[s, u], 2), np.tile(units, 2), 1.0,
                        np.concatenate([second_delay + d - window, second_delay + d]))
    return first, second


def _sums(hidden: int, window: int, scales: dict[int, float], size: int) -> ir.Sparse:
    """AND units (unit, sign, d) into integrators, a step later (twins ``2K`` after that): unit u's
    units add ``sign * scales[row]`` to integrator ``row * hidden + u`` for each row in ``scales``."""
    matrix = np.zeros((size, hidden * 2 * window))
    u, s, _ = np.meshgrid(np.arange(hidden), np.arange(2), np.arange(window), indexing="ij")
    sign = np.where(s.ravel() == 0, 1.0, -1.0)
    for row, scale in scales.items():
        matrix[row * hidden + u.ravel(), np.arange(u.size)] = sign * scale
    return _with_twins(matrix, 1, 2 * window + 1)


@dataclass
class _Network:
    """The nodes and edges of the graph being built."""

    nodes: dict = field(default_factory=dict)
    edges: list = field(default_factory=list)

    def link(self, source: str, name: str, node, target: str) -> None:
        """Add the map ``name`` from ``source`` to ``target``."""
        self.nodes[name] = node
        self.edges += [(source, name), (name, target)]

    def lift(self, clock: str, integrators: str, hold: np.ndarray, offsets: np.ndarray, up: int, down: int) -> None:
        """The clock lifts the integrators over the hold-down with their offsets for a window. Two
        maps: on a chip each has its own weight scale, so the offsets keep their resolution beside B."""
        self.link(clock, f"{integrators}_lift", _clock_lifts(hold.size, hold, up, down), integrators)
        self.link(clock, f"{integrators}_offset", _clock_lifts(hold.size, offsets, up, down), integrators)


# delays around the clock ring, 0 -> 1 -> 2 -> 3 -> 4 -> 0: phases 0, K, 2K, 3K + 1 and 4K + 1
def _ring(window: int) -> list[int]:
    return [window, window, window + 1, window, window + 1]


def _clock(net: _Network, p: str, k: int, window: int) -> str:
    """Layer k's clock ring; layer 0's starts itself, the others follow the ring below a period later."""
    clock, ring = f"{p}clock", _ring(window)
    net.nodes[clock] = ir.IF(v_threshold=np.ones(5), v_initial=np.array([1.0 if k == 0 else 0.0, 0, 0, 0, 0]))
    pre = [0, 1, 2, 3] + ([4] if k == 0 else [])
    net.link(clock, f"{clock}_ring", sparse_map(5, 5, pre, np.add(pre, 1) % 5, 1.0, [ring[j] for j in pre]), clock)
    if k > 0:
        net.link(f"l{k - 1}_clock", f"{clock}_start", sparse_map(5, 5, 4, 0, 1.0, ring[4]), clock)
    return clock


def _gates(net: _Network, p: str, layer: dict, source: str, per_arrival: np.ndarray, window: int) -> None:
    """The gate integrators i, f, o (reading K (0.25 z + 0.5)) and g+, g- (reading +-K z, hard-tanh's
    halves), summing ``x`` (or the layer below's h bursts) and this layer's h over ``[0, K)``."""
    hidden = layer["w_hh"].shape[1]
    signed_h = _signed_h(hidden)
    w_ih, w_hh, bias = (np.split(layer[key], 4) for key in ("w_ih", "w_hh", "bias"))
    scale, order = [0.25, 0.25, 0.25, 1.0, -1.0], [0, 1, 3, 2, 2]  # _GATES from PyTorch's blocks i, f, g, o
    from_input = np.concatenate([s * w_ih[b] for s, b in zip(scale, order, strict=True)])
    from_h = np.concatenate([s * w_hh[b] for s, b in zip(scale, order, strict=True)]) @ signed_h
    if source != "input":  # the layer below's h bursts
        from_input = from_input @ signed_h
    offsets = np.concatenate([window * (s * bias[b] + (0.5 if s == 0.25 else 0.0)) + 0.5
                              for s, b in zip(scale, order, strict=True)])
    # the most a window adds: x at its bound on each of K ticks, at most K spikes per h neuron
    reach = np.abs(np.concatenate([from_input, from_h], axis=1)) @ np.concatenate([per_arrival, np.ones(2 * hidden)])
    hold = _hold_down(reach * window, offsets, window)
    gates = f"{p}gates"
    net.nodes[gates] = _integrators(hold)
    net.link(source, f"{gates}_x", _with_twins(from_input, 0, 2 * window), gates)
    net.link(f"{p}h", f"{gates}_h", _with_twins(from_h, 0, 2 * window), gates)
    net.link(gates, f"{gates}_give_back", _restore(5 * hidden, window), gates)
    net.lift(f"{p}clock", gates, hold, offsets, 1, 2)


def _products(net: _Network, p: str, hidden: int, window: int) -> None:
    """The AND units of i * g and f * c (meeting in ``[2K, 3K)``) and of o * tanh c (``[4K + 1, 5K + 1)``)."""
    K, H = window, hidden
    gate = {name: np.arange(H) + j * H for j, name in enumerate(_GATES)}
    cell = {name: np.arange(H) + j * H for j, name in enumerate(_CELL)}
    relay = {"c+": np.arange(H), "c-": np.arange(H) + H}
    for name, first, first_delay, second_source, second_rows, n_second, second_delay in (
            ("ig", "i", K, f"{p}gates", np.stack([gate["g+"], gate["g-"]]), 5 * H, K),
            ("fc", "f", K, f"{p}c_relay", np.stack([relay["c+"], relay["c-"]]), 2 * H, 2 * K),
            ("oc", "o", 3 * K + 1, f"{p}cell", np.stack([cell["t+"], cell["t-"]]), 4 * H, K)):
        product = f"{p}{name}"
        net.nodes[product] = threshold_units(np.full(2 * H * K, AND_THRESHOLD))
        into_first, into_second = _coincidences(H, K, gate[first], first_delay, second_rows, second_delay, 5 * H,
                                                n_second)
        net.link(f"{p}gates", f"{product}_{first}", into_first, product)
        net.link(second_source, f"{product}_{name[1]}", into_second, product)


def _cell(net: _Network, p: str, hidden: int, window: int, cell_range: float) -> None:
    """The cell integrators: c (for the next f * c, in units of C / K) and tanh c (units of 1 / K) of
    f c + i g, released in ``[3K + 1, 4K + 1)``; c's bursts wait in a relay for the next element's f."""
    K, C, H = window, cell_range, hidden
    cell = f"{p}cell"
    offsets = np.full(4 * H, 0.5)
    # 2K AND units of each product, at most K coincidences each, worth at most 1/K (i g) and C/K (f c)
    hold = _hold_down(np.full(4 * H, 2.0 * K * (1 + C)), offsets, K)
    net.nodes[cell] = _integrators(hold)
    net.link(f"{p}ig", f"{cell}_ig", _sums(H, K, {0: 1 / (K * C), 1: -1 / (K * C), 2: 1 / K, 3: -1 / K}, 4 * H), cell)
    net.link(f"{p}fc", f"{cell}_fc", _sums(H, K, {0: 1 / K, 1: -1 / K, 2: C / K, 3: -C / K}, 4 * H), cell)
    net.link(cell, f"{cell}_give_back", _restore(4 * H, K), cell)
    net.lift(f"{p}clock", cell, hold, offsets, 3, 4)
    net.nodes[f"{p}c_relay"] = threshold_units(np.full(2 * H, 0.5))
    net.link(cell, f"{p}c_relay_in", sparse_map(4 * H, 2 * H, np.arange(2 * H), np.arange(2 * H), 1.0, 2 * K + 1),
             f"{p}c_relay")


def _hidden(net: _Network, p: str, hidden: int, window: int) -> None:
    """The hidden integrators h+ and h- of o * tanh c (units of 1 / K), released at the next period's start."""
    h = f"{p}h"
    offsets = np.full(2 * hidden, 0.5)
    hold = _hold_down(np.full(2 * hidden, 2.0 * window), offsets, window)
    net.nodes[h] = _integrators(hold)
    net.link(f"{p}oc", f"{h}_oc", _sums(hidden, window, {0: 1 / window, 1: -1 / window}, 2 * hidden), h)
    net.link(h, f"{h}_give_back", _restore(2 * hidden, window), h)
    net.lift(f"{p}clock", h, hold, offsets, 0, 1)


def _signed_h(hidden: int) -> np.ndarray:
    """Unit u's value carried by the h+ and h- neurons, times K: ``+1`` and ``-1``."""
    return np.concatenate([np.eye(hidden), -np.eye(hidden)], axis=1)


def from_lstm_rate(model: nn.Module, config: RateLSTMConfig | None = None) -> ir.Graph:
    """The rate-coded (K ticks per value) binary-spike realisation of a trained LSTM classifier."""
    config = RateLSTMConfig() if config is None else config
    layers, readout, approximations = _layers(model.eval(), config)
    K = config.window
    hidden = layers[0]["w_hh"].shape[1]
    net = _Network(nodes={"input": ir.Input((layers[0]["w_ih"].shape[1],))})
    source, per_arrival = "input", np.full(layers[0]["w_ih"].shape[1], config.input_bound)
    for k, layer in enumerate(layers):
        p = f"l{k}_"
        clock = _clock(net, p, k, K)
        _gates(net, p, layer, source, per_arrival, K)
        _products(net, p, hidden, K)
        _cell(net, p, hidden, K, float(config.cell_range))
        _hidden(net, p, hidden, K)
        source, per_arrival = f"{p}h", np.ones(2 * hidden)

    # readout: a non-spiking integrator of the last h burst, cleared a window after it
    weight = readout.weight.detach().double().numpy()
    bias = readout.bias.detach().double().numpy()
    net.nodes["output"] = ir.IF(v_threshold=4 * (np.abs(weight).sum(axis=1) + np.abs(bias) + 1.0))
    net.link(source, "readout", _with_twins(weight @ _signed_h(hidden) / K, 0, K), "output")
    net.link(clock, "readout_bias", _clock_lifts(bias.size, bias, 0, 1), "output")
    metadata = {"conversion": {
        "method": "lstm rate-coded (bursts of K ticks, coincidence products)", "realisation": "rate",
        "window": K, "cell_range": float(config.cell_range), "input_bound": config.input_bound,
        "input": "sequence", "ticks_per_element": period(K), "hold_ticks": K,
        "flush_ticks": (len(layers) - 1) * period(K) + K, "readout": "value", "layers": len(layers),
        "hidden": hidden, "approximations": approximations, "config": asdict(config),
    }, "output": "output"}
    return ir.Graph(nodes=net.nodes, edges=tuple(net.edges), metadata=metadata)


def rate_ann_logits(graph: ir.Graph, x: np.ndarray, *, on_bursts: bool = False) -> np.ndarray:
    """The class scores of the LSTM a rate-coded network was built from, its weights read back
    from the network; ``on_bursts``: what the network itself computes from those weights (its
    burst arithmetic, as :func:`rate_logits`), e.g. for a network quantised for a chip."""
    conversion = graph.metadata.get("conversion", {})
    if conversion.get("realisation") != "rate":
        raise ValueError("rate_ann_logits reads back networks made by from_lstm_rate")
    K, H = int(conversion["window"]), int(conversion["hidden"])
    layers = []
    for k in range(int(conversion["layers"])):
        p = f"l{k}_"
        from_input = dense_of(graph.nodes[f"{p}gates_x"], delay=0)  # not the twins
        from_h = dense_of(graph.nodes[f"{p}gates_h"], delay=0)[:, :H]
        if k > 0:
            from_input = from_input[:, :H]
        offsets = dense_of(graph.nodes[f"{p}gates_offset"], pre=1).sum(axis=1)
        i, f, o, g = (slice(j * H, (j + 1) * H) for j in range(4))  # g: the g+ rows
        layers.append({
            "w_ih": np.concatenate([from_input[i] * 4, from_input[f] * 4, from_input[g], from_input[o] * 4]),
            "w_hh": np.concatenate([from_h[i] * 4, from_h[f] * 4, from_h[g], from_h[o] * 4]),
            "bias": np.concatenate([((offsets[part] - 0.5) / K - 0.5) * 4 for part in (i, f)]
                                   + [(offsets[g] - 0.5) / K, ((offsets[o] - 0.5) / K - 0.5) * 4]),
        })
    weight = dense_of(graph.nodes["readout"], delay=0)[:, :H] * K
    bias = dense_of(graph.nodes["readout_bias"], pre=0).sum(axis=1)
    grids = RateLSTMConfig(window=K, cell_range=float(conversion["cell_range"])).grids if on_bursts else None
    return lstm_logits(layers, weight, bias, x, grids)
