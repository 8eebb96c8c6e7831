"""LSTMs: a piecewise-linear LSTM to train, and its conversion into a graded spiking network.

:class:`PWLLSTM` is ``torch.nn.LSTM`` (same parameters, gate order i, f, g, o)
with hard-sigmoid ``clip(0.25 z + 0.5, 0, 1)`` gates and hard-tanh ``clip(z, -1, 1)``
in place of sigmoid and tanh. Trained with these from the start it is as accurate
as the smooth LSTM, and every operation then has an exact spiking counterpart.

:func:`from_lstm` builds the graded (sigma-delta) realisation, one tick per
sequence element: the input, the four gates, the cell state and its hard-tanh
are sigma-delta populations that send the change of their value when it exceeds
``threshold``; the three products ``i * g``, ``f * c`` and ``o * tanh c`` are
product populations; the recurrent connections (``h`` back to the gates, ``c``
into ``f * c``) carry a one-step delay. At threshold 0 it computes the LSTM's
outputs exactly; a larger threshold trades accuracy for fewer events.

A smooth ``nn.LSTM`` converts only when the caller opts into replacing its
sigmoid and tanh by the piecewise-linear ones; the approximation is recorded in
the graph's metadata.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

import numpy as np
import torch
from torch import fx, nn

from converters.errors import ConversionError, UnsupportedLayer
from neuro import ir

__all__ = ["PWLLSTM", "SequenceClassifier", "LSTMConfig", "from_lstm", "hard_sigmoid", "hard_tanh"]


def hard_sigmoid(z: torch.Tensor) -> torch.Tensor:
    return torch.clamp(0.25 * z + 0.5, 0.0, 1.0)


def hard_tanh(z: torch.Tensor) -> torch.Tensor:
    return torch.clamp(z, -1.0, 1.0)


class PWLLSTM(nn.Module):
    """``nn.LSTM(batch_first=True)`` with piecewise-linear gates; returns the hidden states ``(batch, length, H)``."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1):
        super().__init__()
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        bound = 1.0 / math.sqrt(hidden_size)
        for layer in range(num_layers):
            width = input_size if layer == 0 else hidden_size
            for name, shape in ((f"weight_ih_l{layer}", (4 * hidden_size, width)),
                                (f"weight_hh_l{layer}", (4 * hidden_size, hidden_size)),
                                (f"bias_ih_l{layer}", (4 * hidden_size,)), (f"bias_hh_l{layer}", (4 * hidden_size,))):
                self.register_parameter(name, nn.Parameter(torch.empty(shape).uniform_(-bound, bound)))

    def forward(self, x: torch.Tensor, send_thresholds: Mapping[str, float] | None = None) -> torch.Tensor:
        """The hidden states; with ``send_thresholds``, as the graded spiking form computes them.

        ``send_thresholds`` maps the roles of :data:`ROLES` to their sigma-delta send
        thresholds (missing roles: 0). Every value is then the value its receivers
        hold -- the last one sent, replaced when the change exceeds the threshold --
        exactly as :func:`from_lstm` builds it, with straight-through gradients
        (the hold counts as the identity), so a model can be fine-tuned for the
        threshold it will be converted at. ``None`` is the plain LSTM.
        """
        if send_thresholds is not None:
            return self._sent_states(x, send_thresholds)
        for layer in range(self.num_layers):
            w_ih, w_hh, bias = self._layer(layer)
            h = x.new_zeros(x.shape[0], self.hidden_size)
            c = x.new_zeros(x.shape[0], self.hidden_size)
            projected = x @ w_ih.T + bias  # all steps at once
            outputs = []
            for t in range(x.shape[1]):
                i, f, g, o = (projected[:, t] + h @ w_hh.T).chunk(4, dim=1)
                c = hard_sigmoid(f) * c + hard_sigmoid(i) * hard_tanh(g)
                h = hard_sigmoid(o) * hard_tanh(c)
                outputs.append(h)
            x = torch.stack(outputs, dim=1)
        return x

    def _layer(self, layer: int):
        w_ih, w_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
        return w_ih, w_hh, getattr(self, f"bias_ih_l{layer}") + getattr(self, f"bias_hh_l{layer}")

    def _sent_states(self, x: torch.Tensor, thresholds: Mapping[str, float]) -> torch.Tensor:
        theta = {role: float(thresholds.get(role, 0.0)) for role in ROLES}

        def send(value, held, role):
            changed = torch.where((value - held).abs() > theta[role], value, held)
            return value + (changed - value).detach()  # forward: what is held; backward: the identity

        held_input = x.new_zeros(x.shape[0], x.shape[2])
        inputs = []
        for t in range(x.shape[1]):
            held_input = send(x[:, t], held_input, "input")
            inputs.append(held_input)
        x = torch.stack(inputs, dim=1)
        for layer in range(self.num_layers):
            w_ih, w_hh, bias = self._layer(layer)
            zero = x.new_zeros(x.shape[0], self.hidden_size)
            i = f = g = o = ig = fc = c = tanh_c = h = zero
            outputs = []
            for t in range(x.shape[1]):
                c_before = c  # f * c reads the cell state one step late, as the recurrence does
                zi, zf, zg, zo = (x[:, t] @ w_ih.T + bias + h @ w_hh.T).chunk(4, dim=1)
                i, f = send(hard_sigmoid(zi), i, "gates"), send(hard_sigmoid(zf), f, "gates")
                g, o = send(hard_tanh(zg), g, "gates"), send(hard_sigmoid(zo), o, "gates")
                ig, fc = send(i * g, ig, "products"), send(f * c_before, fc, "products")
                c = send(ig + fc, c, "cell")
                tanh_c = send(hard_tanh(c), tanh_c, "cell")
                h = send(o * tanh_c, h, "hidden")
                outputs.append(h)
            x = torch.stack(outputs, dim=1)
        return x


class SequenceClassifier(nn.Module):
    """An LSTM read out by a linear layer on its last hidden state."""

    def __init__(self, input_size: int, hidden_size: int, classes: int, num_layers: int = 1,
                 cell: str = "pwl"):
        super().__init__()
        if cell == "pwl":
            self.lstm = PWLLSTM(input_size, hidden_size, num_layers)
        elif cell == "smooth":
            self.lstm = nn.LSTM(input_size, hidden_size, num_layers, batch_first=True)
        else:
            raise ValueError(f"cell must be 'pwl' or 'smooth', got {cell!r}")
        self.readout = nn.Linear(hidden_size, classes)

    def forward(self, x: torch.Tensor, send_thresholds: Mapping[str, float] | None = None) -> torch.Tensor:
        """Class scores from the last hidden state; ``send_thresholds`` as :meth:`PWLLSTM.forward`."""
        if send_thresholds is None:
            out = self.lstm(x)
        elif isinstance(self.lstm, PWLLSTM):
            out = self.lstm(x, send_thresholds)
        else:
            raise ValueError("send_thresholds needs the piecewise-linear LSTM (cell='pwl')")
        if isinstance(out, tuple):  # nn.LSTM: (outputs, state)
            out = out[0]
        return self.readout(out[:, -1])


ROLES = ("input", "gates", "products", "cell", "hidden", "output")


@dataclass(frozen=True, kw_only=True)
class LSTMConfig:
    """How an LSTM becomes a spiking network.

    Parameters
    ----------
    threshold
        Send threshold of every sigma-delta and product population: 0 is exact;
        larger sends fewer events.
    role_thresholds
        Thresholds that differ from ``threshold`` by the population's role:
        ``"input"`` (the sequence values), ``"gates"`` (i, f, g, o), ``"products"``
        (i*g and f*c), ``"cell"`` (c and tanh c), ``"hidden"`` (h = o * tanh c) and
        ``"output"`` (the readout, whose value is read exactly whatever it sends).
    approximate_smooth
        Allow converting a smooth ``nn.LSTM`` by swapping in the piecewise-linear
        gates (recorded as an approximation; retraining with :class:`PWLLSTM` is
        far more accurate).
    """

    threshold: float = 0.0
    role_thresholds: Mapping[str, float] = field(default_factory=dict)
    approximate_smooth: bool = False

    def __post_init__(self):
        for name, value in (("threshold", self.threshold), *self.role_thresholds.items()):
            if not (isinstance(value, int | float) and value >= 0 and math.isfinite(value)):
                raise ValueError(f"{name} threshold must be a finite number >= 0, got {value!r}")
        unknown = set(self.role_thresholds) - set(ROLES)
        if unknown:
            raise ValueError(f"unknown LSTM population roles {sorted(unknown)}; roles are {list(ROLES)}")

    def threshold_of(self, role: str) -> float:
        return float(self.role_thresholds.get(role, self.threshold))


_SHAPE = ("the LSTM converters take a model whose forward() is self.readout(self.lstm(x)[:, -1]): an .lstm "
          "(converters.lstm.PWLLSTM or nn.LSTM) read out by a .readout (nn.Linear) on its last step, as "
          "converters.SequenceClassifier is")
_LAST_STEP = ((slice(None), -1), (slice(None), -1, slice(None)))  # out[:, -1] and out[:, -1, :]


class _LSTMAsOneCall(fx.Tracer):
    """Traces forward() with the LSTM as one call (its own forward loops over the sequence)."""

    def is_leaf_module(self, module: nn.Module, qualified_name: str) -> bool:
        return isinstance(module, PWLLSTM | nn.LSTM) or super().is_leaf_module(module, qualified_name)


def _call(node, op: str, target, n_args: int) -> bool:
    return (isinstance(node, fx.Node) and node.op == op and node.target == target and len(node.args) == n_args
            and not node.kwargs)


def _reads_last_step(graph: fx.Graph, lstm: nn.Module) -> bool:
    """Whether the traced forward() is exactly lstm -> (outputs of an nn.LSTM) -> last step -> readout."""
    (output,) = [n for n in graph.nodes if n.op == "output"]
    readout = output.args[0]
    if not _call(readout, "call_module", "readout", 1):
        return False
    last = readout.args[0]
    if not (_call(last, "call_function", operator.getitem, 2) and last.args[1] in _LAST_STEP):
        return False
    hidden = last.args[0]
    if isinstance(lstm, nn.LSTM):  # returns (outputs, (h, c))
        if not (_call(hidden, "call_function", operator.getitem, 2) and hidden.args[1] == 0):
            return False
        hidden = hidden.args[0]
    first_input = next(n for n in graph.nodes if n.op == "placeholder")
    return _call(hidden, "call_module", "lstm", 1) and hidden.args[0] is first_input


def _check_shape(model: nn.Module) -> None:
    """Refuse a model whose forward() is not what the LSTM converters build: lstm -> last step -> readout.

    They read only ``model.lstm`` and ``model.readout``; anything else forward() does (a layer
    before the LSTM, a pooled readout, a flipped sequence) would be silently left out.
    """
    lstm, readout = getattr(model, "lstm", None), getattr(model, "readout", None)
    if not isinstance(readout, nn.Linear) or not isinstance(lstm, PWLLSTM | nn.LSTM):
        raise ConversionError(_SHAPE)
    if isinstance(model, SequenceClassifier) and type(model).forward is SequenceClassifier.forward:
        return  # its forward() is that shape (and takes send_thresholds, which a trace would follow)
    name = type(model).__name__
    try:
        graph = _LSTMAsOneCall().trace(model)
    except Exception as error:  # fx raises many kinds; all mean "not traceable"
        raise ConversionError(f"cannot read {name}.forward() (torch.fx: {error}); {_SHAPE}") from None
    if not _reads_last_step(graph, lstm):
        steps = " -> ".join(getattr(n.target, "__name__", str(n.target))  # a function's name, a module's path
                            for n in graph.nodes if n.op not in ("placeholder", "output"))
        raise ConversionError(f"{name}.forward() computes {steps}; {_SHAPE}")


def _layers(model: nn.Module, config: LSTMConfig) -> tuple[list[dict], nn.Linear, list[str]]:
    _check_shape(model)
    lstm, readout = model.lstm, model.readout
    approximations = []
    if isinstance(lstm, nn.LSTM):
        if lstm.bidirectional or lstm.proj_size or not lstm.batch_first or not lstm.bias:
            raise UnsupportedLayer("lstm", "LSTM", "only unidirectional, batch_first LSTMs with biases and no "
                                                   "projection convert")
        if not config.approximate_smooth:
            raise UnsupportedLayer("lstm", "LSTM", "a smooth (sigmoid/tanh) nn.LSTM has no exact spiking form; "
                                                   "train converters.lstm.PWLLSTM instead, or opt into the "
                                                   "piecewise-linear approximation (--lstm-approximate)")
        approximations.append("sigmoid and tanh of the nn.LSTM replaced by hard-sigmoid and hard-tanh "
                              "(piecewise-linear approximation)")
    layers = []
    for k in range(lstm.num_layers):
        get = lambda name, k=k: getattr(lstm, f"{name}_l{k}").detach().double().numpy()  # noqa: E731
        layers.append({"w_ih": get("weight_ih"), "w_hh": get("weight_hh"), "bias": get("bias_ih") + get("bias_hh")})
    return layers, readout, approximations


def from_lstm(model: nn.Module, config: LSTMConfig | None = None) -> ir.Graph:
    """The graded (sigma-delta) spiking realisation of a trained LSTM classifier."""
    config = LSTMConfig() if config is None else config
    layers, readout, approximations = _layers(model.eval(), config)
    hidden = layers[0]["w_hh"].shape[1]
    theta = config.threshold_of

    def sigma(size, role, activation="identity", accumulate=True):
        return ir.SigmaDelta(threshold=np.full(size, theta(role)), activation=activation, accumulate=accumulate)

    nodes: dict[str, object] = {"input": ir.Input((layers[0]["w_ih"].shape[1],)),
                                "x": sigma(layers[0]["w_ih"].shape[1], "input", accumulate=False)}
    edges = [("input", "x")]
    source = "x"
    for k, layer in enumerate(layers):
        p = f"l{k}_"
        gates = {"i": "hard_sigmoid", "f": "hard_sigmoid", "g": "hard_tanh", "o": "hard_sigmoid"}
        for index, (gate, activation) in enumerate(gates.items()):
            rows = slice(index * hidden, (index + 1) * hidden)
            nodes[f"{p}wx_{gate}"] = ir.Dense(layer["w_ih"][rows], layer["bias"][rows])
            target, source_h = np.nonzero(np.ones((hidden, hidden)))  # every recurrent synapse, one step late
            nodes[f"{p}wh_{gate}"] = ir.Sparse(hidden, hidden, pre=source_h, post=target,
                                               weight=layer["w_hh"][rows][target, source_h],
                                               delay=np.ones(target.size, np.int64))
            nodes[f"{p}{gate}"] = sigma(hidden, "gates", activation)
            edges += [(source, f"{p}wx_{gate}"), (f"{p}wx_{gate}", f"{p}{gate}"),
                      (f"{p}h", f"{p}wh_{gate}"), (f"{p}wh_{gate}", f"{p}{gate}")]
        nodes[f"{p}ig"] = ir.Product(threshold=np.full(hidden, theta("products")), factors=(f"{p}i", f"{p}g"))
        nodes[f"{p}c_prev"] = ir.Sparse(hidden, hidden, np.arange(hidden), np.arange(hidden), np.ones(hidden),
                                        np.ones(hidden, np.int64))
        nodes[f"{p}fc"] = ir.Product(threshold=np.full(hidden, theta("products")), factors=(f"{p}f", f"{p}c_prev"))
        nodes[f"{p}c"] = sigma(hidden, "cell")
        nodes[f"{p}tanh_c"] = sigma(hidden, "cell", "hard_tanh")
        nodes[f"{p}h"] = ir.Product(threshold=np.full(hidden, theta("hidden")), factors=(f"{p}o", f"{p}tanh_c"))
        edges += [(f"{p}i", f"{p}ig"), (f"{p}g", f"{p}ig"), (f"{p}c", f"{p}c_prev"), (f"{p}f", f"{p}fc"),
                  (f"{p}c_prev", f"{p}fc"), (f"{p}ig", f"{p}c"), (f"{p}fc", f"{p}c"), (f"{p}c", f"{p}tanh_c"),
                  (f"{p}o", f"{p}h"), (f"{p}tanh_c", f"{p}h")]
        source = f"{p}h"
    nodes["readout"] = ir.Dense(readout.weight.detach().double().numpy(), readout.bias.detach().double().numpy())
    nodes["output"] = sigma(readout.out_features, "output")
    edges += [(source, "readout"), ("readout", "output")]
    metadata = {"conversion": {
        "method": "lstm graded (sigma-delta)", "realisation": "graded", "threshold": config.threshold,
        "role_thresholds": {role: theta(role) for role in ROLES},
        "input": "sequence", "ticks_per_element": 1, "readout": "value", "layers": len(layers),
        "hidden": hidden, "approximations": approximations,
        "config": {**asdict(config), "role_thresholds": dict(config.role_thresholds)},
    }, "output": "output"}
    return ir.Graph(nodes=nodes, edges=tuple(edges), metadata=metadata)
