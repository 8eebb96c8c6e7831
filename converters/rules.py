"""The conversion rules: one small function per torch module type or function.

A traced value is one of

* :class:`Spikes` -- the events of IR node ``tail`` (a population, the input,
  or pooling/flattening after them); an event stands for ``scale`` (per element)
  in the ANN's units;
* :class:`Analog` -- a pre-activation in the ANN's units: the sum of the chains
  ending at ``tails`` (a weight layer's output, or several for ``x + f(x)``);
* :class:`PendingMaxPool` -- max-pooling of a pre-activation, waiting for the
  ReLU it commutes with (``maxpool(relu(z)) == relu(maxpool(z))``);
* :class:`Constant` -- a plain Python value (a size, a shape).

Rules take ``(builder, fx_node, module, args, kwargs)`` and return a value. The
registries :data:`MODULE_RULES`, :data:`FUNCTION_RULES` and :data:`METHOD_RULES`
are the whole list of what converts; anything else raises
:class:`~converters.errors.UnsupportedLayer` with advice.

A call's arguments reach its rule by name whichever way they were written:
:func:`lower_node` binds them to torch's own signature of the function (a
pooling module's settings to its functional's), so ``args`` is ``(input,)`` and
``kwargs`` holds every other parameter, defaults filled in. A rule names the
parameters it honours with :func:`_reads`; any other parameter with a value
other than torch's default is refused by name -- never dropped.
"""

from __future__ import annotations

import dataclasses
import inspect
import numbers
import operator
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch._jit_internal import boolean_dispatched
from torch.fx.operator_schemas import get_signature_for_torch_op

from converters.config import ConversionConfig
from converters.errors import ConversionError, UnsupportedLayer
from converters.quantised import QuantisedReLU
from neuro import ir

__all__ = ["Builder", "Spikes", "Analog", "PendingMaxPool", "Constant", "lower_node",
           "MODULE_RULES", "FUNCTION_RULES", "METHOD_RULES"]


@dataclass(frozen=True, eq=False)
class Spikes:
    tail: str
    scale: np.ndarray  # per element of the value, without batch

    @property
    def shape(self) -> tuple[int, ...]:
        return self.scale.shape


@dataclass(frozen=True, eq=False)
class Analog:
    tails: tuple[str, ...]
    shape: tuple[int, ...]
    fx_name: str  # the traced node whose calibration output this value is


@dataclass(frozen=True, eq=False)
class PendingMaxPool:
    analog: Analog
    pool: ir.MaxPool2d
    fx_name: str


@dataclass(frozen=True, eq=False)
class Constant:
    value: object


class Builder:
    """Mutable while lowering one model; produces the immutable graph at the end."""

    def __init__(self, config: ConversionConfig, activations: dict, scale_of: Callable):
        self.config = config
        self.activations = activations
        self.scale_of = scale_of
        self.nodes: dict[str, object] = {}
        self.edges: list[tuple[str, str]] = []
        self.layers: list[dict] = []
        self.levels: int | None = None  # of QuantisedReLU populations (all alike)
        self.quantised: list[str] = []  # populations whose threshold is a QuantisedReLU's learned clip

    def add(self, name: str, node, *sources: str) -> str:
        name = name.replace(".", "_") or "node"
        unique, k = name, 1
        while unique in self.nodes:
            unique, k = f"{name}_{k}", k + 1
        self.nodes[unique] = node
        self.edges.extend((source, unique) for source in sources)
        return unique

    def activation(self, fx_name: str) -> np.ndarray:
        return np.asarray(self.activations[fx_name], dtype=np.float64)

    def population(self, name: str, analog: Analog, relu_output: np.ndarray, *,
                   quantised: tuple[float, int] | None = None) -> Spikes:
        """An IF population standing for ``relu(analog)``; threshold from its activations, or, for a
        ``quantised = (clip, levels)`` activation, the clip itself with the membrane at half of it (the
        ``+ 1/2`` of the activation's rounding: always, whatever ``half_threshold_init`` says)."""
        if quantised is None:
            scale = self.scale_of(relu_output)
            half = self.config.half_threshold_init
        else:
            clip, levels = quantised
            if self.levels not in (None, levels):
                raise ConversionError(f"'{name}': QuantisedReLU with {levels} levels after one with {self.levels}; "
                                      "use one level count throughout")
            self.levels = levels
            scale, half = np.full(np.shape(relu_output)[1:], float(clip)), True
        node = ir.IF(v_threshold=scale, v_initial=0.5 * scale if half else None, reset=self.config.reset,
                     signed=self.config.signed)
        pop = self.add(name, node, *analog.tails)
        if quantised is not None:
            self.quantised.append(pop)
        self.layers.append({"population": pop, "threshold_min": float(scale.min()),
                            "threshold_max": float(scale.max()), "neurons": int(scale.size)})
        return Spikes(pop, scale)

    def to_analog(self, value, name: str, gain: float = 1.0) -> Analog:
        """Any value times ``gain`` as a pre-activation: spikes are weighted back by their scale."""
        if isinstance(value, Analog):
            return value if gain == 1.0 else self.scaled(value, gain, name)
        if isinstance(value, Spikes):
            scaled = self.add(f"{name}_scale", ir.Scale(value.scale * float(gain)), value.tail)
            return Analog((scaled,), value.shape, name)
        raise ConversionError(f"'{name}': cannot use {type(value).__name__} here")

    def scaled(self, analog: Analog, gain: float, name: str) -> Analog:
        """``gain`` times a pre-activation: each of its chains copied with its weight layer scaled.

        A Scale node after the weight layer would put two weight layers in one projection, which
        no chip holds; the weights and bias times ``gain`` are exact. A chain copied here may leave
        its original feeding nothing; :meth:`finish` drops it.
        """
        tails = []
        for tail in analog.tails:
            flattens = []  # a chain ends with its weight layer, then any flattening
            while isinstance(self.nodes[tail], ir.Flatten):
                flattens.append(tail)
                tail = self._source(tail)
            copy = self.add(f"{name}_gain", _times(self.nodes[tail], gain), self._source(tail))
            for flatten in reversed(flattens):
                copy = self.add(flatten, ir.Flatten(), copy)
            tails.append(copy)
        return Analog(tuple(tails), analog.shape, name)

    def _keep_signed_where_they_can_be(self, output: str) -> list[str]:
        """Unsign the output population (read by its membrane; its spikes go nowhere) and every population
        that feeds a max-pool gate (a gate reads counts that a negative spike would lower); the names of the
        populations that stay signed."""
        for name, node in self.nodes.items():
            if isinstance(node, ir.IF) and node.signed and (name == output or any(
                    s == name and isinstance(self.nodes[t], ir.GATE_TYPES) for s, t in self.edges)):
                self.nodes[name] = dataclasses.replace(node, signed=False)
        return [n for n, node in self.nodes.items() if isinstance(node, ir.IF) and node.signed]

    def _source(self, name: str) -> str:
        (source,) = [s for s, t in self.edges if t == name]  # a linear node has one input
        return source

    def _drop_dead_ends(self) -> None:
        """Remove linear nodes whose value reaches nothing (left behind by :meth:`scaled`)."""
        while dead := {n for n, node in self.nodes.items()
                       if isinstance(node, ir.LINEAR_TYPES) and not any(s == n for s, _ in self.edges)}:
            self.nodes = {n: node for n, node in self.nodes.items() if n not in dead}
            self.edges = [(s, t) for s, t in self.edges if t not in dead]

    def finish(self, output, output_activation: np.ndarray, folded) -> ir.Graph:
        if isinstance(output, Spikes) and isinstance(self.nodes[output.tail], ir.IF):
            out = output.tail
            output_scale = output.scale
        else:
            if isinstance(output, PendingMaxPool):
                raise ConversionError("the model ends in max-pooling without a ReLU; end with a Linear layer")
            analog = self.to_analog(output, "output")
            spikes = self.population("output", analog, output_activation)
            out, output_scale = spikes.tail, spikes.scale
        self._drop_dead_ends()
        signed = self._keep_signed_where_they_can_be(out)
        metadata = {
            "conversion": {
                "method": "rate (IF, data-based normalisation)", **self.config.as_dict(),
                "input": "analog", "readout": "membrane", "output_population": out,
                "output_scale": float(np.max(output_scale)), "folded_batchnorm": list(folded),
                "layers": self.layers, "approximations": [],
                **({"signed_populations": signed} if self.config.signed else {}),
                **({} if self.levels is None else {
                    "activation_levels": self.levels, "quantised_populations": list(self.quantised),
                    "threshold_source": "learned clip of QuantisedReLU (no percentile calibration)"}),
            },
        }
        return ir.Graph(nodes=self.nodes, edges=tuple(self.edges), metadata=metadata)


# --------------------------------------------------------------------------- helpers


def _times(node, gain: float):
    """A weight layer (or Scale) whose output is ``gain`` times the original's, bias included."""
    if isinstance(node, ir.Scale):
        return ir.Scale(node.scale * gain)
    bias = None if node.bias is None else node.bias * gain
    return dataclasses.replace(node, weight=node.weight * gain, bias=bias)  # Dense, Conv1d, Conv2d


def _spikes(value, fx_node, what: str) -> Spikes:
    if isinstance(value, Spikes):
        return value
    if isinstance(value, Analog):
        raise ConversionError(
            f"'{fx_node.name}': {what} receives the output of a weight layer with no ReLU between them; "
            "insert an activation (nn.ReLU) or fuse the two linear layers"
        )
    if isinstance(value, PendingMaxPool):
        raise ConversionError(f"'{fx_node.name}': max-pooling of a pre-activation must be followed by a ReLU")
    raise ConversionError(f"'{fx_node.name}': {what} needs a tensor input")


def _channel_scale(spikes: Spikes, fx_node) -> np.ndarray:
    """One scale per channel (axis 0), which pooling and convolution preserve."""
    scale = spikes.scale
    per_channel = scale.reshape(scale.shape[0], -1)
    if not np.all(per_channel == per_channel[:, :1]):
        raise ConversionError(f"'{fx_node.name}': thresholds vary within a channel; use layer or channel "
                              "normalisation")
    return per_channel[:, 0]


def _broadcast_channels(per_channel: np.ndarray, shape) -> np.ndarray:
    return np.broadcast_to(per_channel.reshape(-1, *([1] * (len(shape) - 1))), shape).copy()


def _ints(value, n: int) -> tuple[int, ...]:
    if isinstance(value, int):
        return (value,) * n
    return tuple(int(v) for v in value)


def _where(fx_node) -> str:
    """Where a call is in the model: a module's path, or the traced node's name."""
    return str(fx_node.target) if fx_node.op == "call_module" else fx_node.name


def _shown(value) -> str:
    return "a tensor" if isinstance(value, Spikes | Analog | PendingMaxPool) else repr(value)


def _reads(*names: str):
    """Mark the parameters (besides the input) a rule honours; any other must keep torch's default."""
    def mark(rule):
        rule.reads = frozenset(names)
        return rule
    return mark


# --------------------------------------------------------------------------- rules


def _linear(b: Builder, fx_node, module: nn.Linear, args, kwargs):
    x = _spikes(args[0], fx_node, "Linear")
    if len(x.shape) != 1:
        raise ConversionError(f"'{fx_node.target}': Linear on a {len(x.shape)}-D value; flatten it first")
    weight = module.weight.detach().double().numpy() * x.scale[None, :]
    bias = None if module.bias is None else module.bias.detach().double().numpy()
    name = b.add(fx_node.name, ir.Dense(weight, bias), x.tail)
    return Analog((name,), (module.out_features,), fx_node.name)


def _conv(b: Builder, fx_node, module: nn.Conv1d | nn.Conv2d, args, kwargs):
    x = _spikes(args[0], fx_node, type(module).__name__)
    ndim = 1 if isinstance(module, nn.Conv1d) else 2
    if module.padding_mode != "zeros":
        raise UnsupportedLayer(fx_node.target, type(module).__name__,
                               f"padding_mode={module.padding_mode!r}; only zero padding converts")
    padding = module.padding
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0,) * ndim
        elif all(s == 1 for s in module.stride) and all(k % 2 for k in module.kernel_size):
            padding = tuple(d * (k - 1) // 2 for d, k in zip(module.dilation, module.kernel_size, strict=True))
        else:
            raise UnsupportedLayer(fx_node.target, type(module).__name__,
                                   "padding='same' converts only with stride 1 and odd kernels")
    lam = _channel_scale(x, fx_node)
    weight = module.weight.detach().double().numpy()
    group_in = weight.shape[1]
    group_out = weight.shape[0] // module.groups
    # each weight [co, ci_local] reads input channel (co // group_out) * group_in + ci_local
    channel = (np.arange(weight.shape[0])[:, None] // group_out) * group_in + np.arange(group_in)[None, :]
    weight = weight * lam[channel].reshape(*channel.shape, *([1] * ndim))
    bias = None if module.bias is None else module.bias.detach().double().numpy()
    cls = ir.Conv1d if ndim == 1 else ir.Conv2d
    node = cls(weight, bias, stride=_ints(module.stride, ndim), padding=_ints(padding, ndim),
               dilation=_ints(module.dilation, ndim), groups=module.groups)
    name = b.add(fx_node.name, node, x.tail)
    return Analog((name,), node.output_shape(x.shape), fx_node.name)


@_reads("inplace")  # in place or not, the value is the same
def _relu(b: Builder, fx_node, module, args, kwargs):
    return _activation_population(b, fx_node, args[0], None)


def _quantised_relu(b: Builder, fx_node, module: QuantisedReLU, args, kwargs):
    if isinstance(args[0], Spikes):
        raise ConversionError(f"'{fx_node.name}': a QuantisedReLU must follow a weight layer (or a max-pool of "
                              "one), not another activation")
    return _activation_population(b, fx_node, args[0], (module.threshold, module.levels))


def _activation_population(b: Builder, fx_node, x, quantised):
    if isinstance(x, Spikes):
        return x  # already non-negative
    if isinstance(x, PendingMaxPool):
        relu_z = np.maximum(b.activation(x.analog.fx_name), 0.0)
        spikes = b.population(fx_node.name, x.analog, relu_z, quantised=quantised)
        gate = b.add(x.fx_name, x.pool, spikes.tail)
        return Spikes(gate, _broadcast_channels(spikes.scale.reshape(spikes.shape[0], -1)[:, 0],
                                                x.pool.output_shape(spikes.shape)))
    if isinstance(x, Analog):
        return b.population(fx_node.name, x, b.activation(fx_node.name), quantised=quantised)
    raise ConversionError(f"'{fx_node.name}': ReLU needs a tensor input")


def _pool_geometry(kwargs, ndim):
    """Kernel, stride and padding of a pooling call (a stride left empty is the kernel, as in torch)."""
    kernel, stride = kwargs["kernel_size"], kwargs["stride"]
    stride = kernel if stride is None or (not isinstance(stride, int) and len(stride) == 0) else stride
    return _ints(kernel, ndim), _ints(stride, ndim), _ints(kwargs["padding"], ndim)


def _pooled(b: Builder, fx_node, x: Spikes, pool) -> Spikes:
    """Spikes after a pooling node: pooling stays within a channel, so each channel keeps its scale."""
    name = b.add(fx_node.name, pool, x.tail)
    return Spikes(name, _broadcast_channels(_channel_scale(x, fx_node), pool.output_shape(x.shape)))


def _avg_pool(ndim):
    @_reads("kernel_size", "stride", "padding")
    def rule(b: Builder, fx_node, module, args, kwargs):
        x = _spikes(args[0], fx_node, "average pooling")
        kernel, stride, padding = _pool_geometry(kwargs, ndim)
        cls = ir.AvgPool1d if ndim == 1 else ir.AvgPool2d
        return _pooled(b, fx_node, x, cls(kernel, stride, padding))
    return rule


def _adaptive_avg_pool(ndim):
    @_reads("output_size")
    def rule(b: Builder, fx_node, module, args, kwargs):
        x = _spikes(args[0], fx_node, "adaptive average pooling")
        size = kwargs["output_size"]
        # an int for every dimension, or one entry per dimension of which None keeps that dimension's size
        entries = (size,) * ndim if size is None or isinstance(size, int) else tuple(size)
        size = tuple(n if s is None else int(s) for s, n in zip(entries, x.shape[1:], strict=True))
        if any(n % s for n, s in zip(x.shape[1:], size, strict=True)):
            raise UnsupportedLayer(str(fx_node.target), "AdaptiveAvgPool",
                                   f"input size {x.shape[1:]} is not a multiple of the output size {size}; "
                                   "use an output size that divides the input")
        kernel = tuple(n // s for n, s in zip(x.shape[1:], size, strict=True))
        cls = ir.AvgPool1d if ndim == 1 else ir.AvgPool2d
        return _pooled(b, fx_node, x, cls(kernel, kernel, (0,) * ndim))
    return rule


def _max_pool(ndim):
    @_reads("kernel_size", "stride", "padding", "dilation")
    def rule(b: Builder, fx_node, module, args, kwargs):
        if _ints(kwargs["dilation"], ndim) != (1,) * ndim:
            raise UnsupportedLayer(_where(fx_node), "max pooling", f"dilation={kwargs['dilation']!r} has no "
                                   "spiking rule; use dilation=1")
        kernel, stride, padding = _pool_geometry(kwargs, ndim)
        cls = ir.MaxPool1d if ndim == 1 else ir.MaxPool2d
        pool = cls(kernel, stride, padding)
        x = args[0]
        if isinstance(x, Analog):
            return PendingMaxPool(x, pool, fx_node.name)
        x = _spikes(x, fx_node, "max pooling")
        if not isinstance(b.nodes[x.tail], ir.NEURON_TYPES):
            raise ConversionError(f"'{fx_node.name}': max-pooling must follow a ReLU directly to be gated "
                                  "by its neurons' spike counts")
        return _pooled(b, fx_node, x, pool)
    return rule


def _flatten_value(b: Builder, fx_node, x):
    if isinstance(x, Spikes):
        name = b.add(fx_node.name, ir.Flatten(), x.tail)
        return Spikes(name, x.scale.ravel().copy())
    if isinstance(x, Analog):
        tails = tuple(b.add(fx_node.name, ir.Flatten(), tail) for tail in x.tails)
        return Analog(tails, (int(np.prod(x.shape)),), fx_node.name)
    raise ConversionError(f"'{fx_node.name}': flatten max-pooled values only after their ReLU")


@_reads("start_dim", "end_dim", "shape")
def _reshape(b: Builder, fx_node, module, args, kwargs):
    """Flatten in any spelling (nn.Flatten, torch.flatten, x.view(n, -1), ...), read off the shapes.

    The arguments (dimensions, the new shape) are honoured through the traced output's shape.
    """
    x = args[0]
    out_shape = tuple(b.activation(fx_node.name).shape[1:])
    in_shape = x.analog.shape if isinstance(x, PendingMaxPool) else x.shape
    if out_shape == tuple(in_shape):
        return x
    if out_shape == (int(np.prod(in_shape)),):
        return _flatten_value(b, fx_node, x)
    raise UnsupportedLayer(str(fx_node.target), "reshape",
                           f"reshaping {tuple(in_shape)} to {out_shape} has no rule; only flattening to "
                           "(batch, features) converts")


def _identity(b: Builder, fx_node, module, args, kwargs):
    return args[0]


@_reads("p", "training", "inplace")
def _dropout(b: Builder, fx_node, module, args, kwargs):
    if kwargs["training"] and kwargs["p"] > 0:
        raise UnsupportedLayer(_where(fx_node), "dropout", "training=True drops activations at inference too; "
                                                           "pass training=self.training (or use nn.Dropout)")
    return args[0]


@_reads("other", "alpha")
def _add(b: Builder, fx_node, module, args, kwargs):
    """``input + alpha * other``: the sum of the two values' chains, ``other``'s scaled by ``alpha``."""
    left, right, alpha = args[0], kwargs["other"], kwargs["alpha"]
    if not all(isinstance(v, Spikes | Analog) for v in (left, right)):
        raise UnsupportedLayer(fx_node.name, "add",
                               "only the sum of two tensors (a residual connection) converts, not adding a constant")
    if not isinstance(alpha, numbers.Real):
        raise UnsupportedLayer(fx_node.name, "add", f"alpha={_shown(alpha)} is not a number; give alpha as a "
                                                    "constant")
    if tuple(left.shape) != tuple(right.shape):
        raise ConversionError(f"'{fx_node.name}': adding shapes {left.shape} and {right.shape} (no broadcasting)")
    a, c = b.to_analog(left, fx_node.name), b.to_analog(right, fx_node.name, gain=float(alpha))
    return Analog(a.tails + c.tails, tuple(left.shape), fx_node.name)


def _batchnorm_unfolded(b: Builder, fx_node, module, args, kwargs):
    raise UnsupportedLayer(fx_node.target, type(module).__name__,
                           "BatchNorm converts only right after a Conv/Linear (whose output nothing else uses), "
                           "where it is folded into the weights; move it there")


MODULE_RULES: dict[type, Callable] = {
    nn.Linear: _linear,
    nn.Conv1d: _conv,
    nn.Conv2d: _conv,
    nn.ReLU: _relu,
    QuantisedReLU: _quantised_relu,
    nn.AvgPool1d: _avg_pool(1),
    nn.AvgPool2d: _avg_pool(2),
    nn.AdaptiveAvgPool1d: _adaptive_avg_pool(1),
    nn.AdaptiveAvgPool2d: _adaptive_avg_pool(2),
    nn.MaxPool1d: _max_pool(1),
    nn.MaxPool2d: _max_pool(2),
    nn.Flatten: _reshape,
    nn.Dropout: _identity,
    nn.Dropout1d: _identity,
    nn.Dropout2d: _identity,
    nn.Identity: _identity,
    nn.BatchNorm1d: _batchnorm_unfolded,
    nn.BatchNorm2d: _batchnorm_unfolded,
}

FUNCTION_RULES: dict[Callable, Callable] = {
    F.relu: _relu, torch.relu: _relu,
    torch.flatten: _reshape, torch.reshape: _reshape,
    operator.add: _add, torch.add: _add, operator.iadd: _add,
    F.avg_pool1d: _avg_pool(1), F.avg_pool2d: _avg_pool(2),
    F.max_pool1d: _max_pool(1), F.max_pool2d: _max_pool(2),
    F.adaptive_avg_pool1d: _adaptive_avg_pool(1), F.adaptive_avg_pool2d: _adaptive_avg_pool(2),
    F.dropout: _dropout,
}

METHOD_RULES: dict[str, Callable] = {
    "relu": _relu, "relu_": _relu, "flatten": _reshape, "view": _reshape, "reshape": _reshape,
    "add": _add, "add_": _add, "contiguous": _identity,
}

_ADVICE = {
    ("Sigmoid", "Tanh", "GELU", "SiLU", "ELU", "LeakyReLU", "PReLU", "Softplus", "Mish", "Hardswish",
     "Hardsigmoid", "Hardtanh", "ReLU6", "sigmoid", "tanh"):
        "hidden activations must be ReLU to become integrate-and-fire neurons; retrain with nn.ReLU",
    ("Softmax", "LogSoftmax", "softmax", "log_softmax"):
        "remove the final softmax: the spiking readout takes the argmax of the logits, which softmax "
        "does not change",
    ("LayerNorm", "GroupNorm", "InstanceNorm1d", "InstanceNorm2d", "layer_norm"):
        "normalisation by a sample's own statistics has no spiking form; use BatchNorm right after a "
        "Conv/Linear (folded into its weights)",
    ("MultiheadAttention", "Transformer", "TransformerEncoder", "TransformerEncoderLayer"):
        "attention multiplies two activations; this converter handles feed-forward CNNs",
    ("LSTM", "GRU", "RNN", "LSTMCell", "GRUCell", "PWLLSTM"):
        "recurrent layers convert with converters.from_lstm (an LSTM classifier such as "
        "converters.SequenceClassifier), not the CNN converter",
}


def advice(kind: str) -> str:
    for names, text in _ADVICE.items():
        if kind in names:
            return text
    supported = ", ".join(sorted({t.__name__ for t in MODULE_RULES} - {"BatchNorm1d", "BatchNorm2d"}))
    return f"no conversion rule; supported modules: {supported} (BatchNorm folded after Conv/Linear)"


# A pooling module calls its functional with its own settings (attributes of the same names), so both
# spellings are lowered through the functional's signature and meet the same checks.
_MODULE_FUNCTIONS: dict[type, Callable] = {
    nn.AvgPool1d: F.avg_pool1d, nn.AvgPool2d: F.avg_pool2d, nn.MaxPool1d: F.max_pool1d, nn.MaxPool2d: F.max_pool2d,
    nn.AdaptiveAvgPool1d: F.adaptive_avg_pool1d, nn.AdaptiveAvgPool2d: F.adaptive_avg_pool2d,
}

# Operators and methods take the arguments of the torch function that does the same (``self`` as the
# input). view, reshape and contiguous are not bound: the first two take the shape as loose arguments,
# the last a memory layout; their rule reads the traced output's shape, which honours them all.
_SAME_ARGUMENTS: dict[object, Callable] = {
    operator.add: torch.add, operator.iadd: torch.add, "add": torch.add, "add_": torch.add,
    "relu": torch.relu, "relu_": torch.relu, "flatten": torch.flatten,
}


def _signatures(function) -> list[inspect.Signature]:
    """torch's signatures of a function: the schemas of a builtin (one per overload), else inspect's."""
    if function in boolean_dispatched:  # F.max_pool*: two branches (on return_indices), one signature
        function = boolean_dispatched[function]["if_false"]
    schemas = get_signature_for_torch_op(function)
    if schemas is None:
        return [inspect.signature(function)]
    # a builtin's schemas include its overloads on plain numbers and lists (add.int, ...): keep the tensor ones
    return [s for s in schemas if next(iter(s.parameters.values())).annotation is torch.Tensor]


def _bind(fx_node, function, args, kwargs, kind: str) -> dict[str, tuple[object, object]]:
    """Every parameter of a call by name: ``{name: (value, torch's default)}``, however it was written.

    Overloads that accept the call must agree on what each argument is (``torch.add`` has a tensor
    and a number overload with the same parameters).
    """
    bindings = []
    for signature in _signatures(function):
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError:
            continue
        bound.apply_defaults()
        bindings.append({name: (value, signature.parameters[name].default)
                         for name, value in bound.arguments.items()})
    if not bindings:
        raise ConversionError(f"'{fx_node.name}': the arguments of {kind} match none of torch's signatures")
    first = bindings[0]
    for other in bindings[1:]:
        if other.keys() != first.keys() or not all(_same(value, first[name][0]) for name, (value, _) in other.items()):
            raise ConversionError(f"'{fx_node.name}': the arguments of {kind} match several of torch's signatures "
                                  "differently; pass them by keyword")
    return first


def _same(value, other) -> bool:
    """One argument, or plain values that are equal (a traced value equals only itself)."""
    if value is other:
        return True
    if isinstance(value, Spikes | Analog | PendingMaxPool | Constant):
        return False
    try:
        return bool(value == other)
    except (TypeError, ValueError):  # e.g. a comparison without one truth value
        return False


def _apply(rule, b: Builder, fx_node, module, parameters: dict[str, tuple[object, object]], kind: str):
    """Call ``rule`` with the input first and the other parameters by name; refuse any non-default one
    that the rule does not read (it would otherwise be dropped)."""
    (_, (value, _)), *others = parameters.items()
    reads = getattr(rule, "reads", frozenset())
    for name, (argument, default) in others:
        if name not in reads and not _same(argument, default):
            instead = "leave it out" if default is inspect.Parameter.empty else f"use the default {name}={default!r}"
            raise UnsupportedLayer(_where(fx_node), kind, f"{name}={_shown(argument)} has no spiking rule; {instead}")
    return rule(b, fx_node, module, (value,), {name: argument for name, (argument, _) in others})


def lower_node(b: Builder, fx_node, modules: dict, args, kwargs):
    """Lower one traced operation with its rule, its arguments bound by name (see the module notes)."""
    if fx_node.op == "placeholder":
        if any(isinstance(n, ir.Input) for n in b.nodes.values()):
            raise ConversionError("the model takes several inputs; convert a model with one input tensor")
        shape = tuple(b.activation(fx_node.name).shape[1:])
        name = b.add("input", ir.Input(shape))
        return Spikes(name, np.ones(shape))  # analog input: an event carries the value itself
    if fx_node.op == "call_module":
        module = modules[fx_node.target]
        kind = type(module).__name__
        rule = MODULE_RULES.get(type(module))
        if rule is None:
            raise UnsupportedLayer(fx_node.target, kind, advice(kind))
        function = _MODULE_FUNCTIONS.get(type(module))
        if function is None:  # a weight layer or an activation: its rule reads the module itself
            return rule(b, fx_node, module, args, kwargs)
        settings = {name: getattr(module, name) for name in list(_signatures(function)[0].parameters)[1:]
                    if hasattr(module, name)}
        return _apply(rule, b, fx_node, module, _bind(fx_node, function, args, settings, kind), kind)
    if fx_node.op == "call_function":
        rule = FUNCTION_RULES.get(fx_node.target)
        kind = getattr(fx_node.target, "__name__", str(fx_node.target))
        if rule is None:
            raise UnsupportedLayer(fx_node.name, f"function {kind}", advice(kind))
        function = _SAME_ARGUMENTS.get(fx_node.target, fx_node.target)
        return _apply(rule, b, fx_node, None, _bind(fx_node, function, args, kwargs, kind), kind)
    if fx_node.op == "call_method":
        rule = METHOD_RULES.get(fx_node.target)
        if rule is None:
            raise UnsupportedLayer(fx_node.name, f"method .{fx_node.target}()", advice(fx_node.target))
        function = _SAME_ARGUMENTS.get(fx_node.target)
        if function is None:  # view, reshape, contiguous: see _SAME_ARGUMENTS
            return rule(b, fx_node, None, args, kwargs)
        kind = f".{fx_node.target}()"
        return _apply(rule, b, fx_node, None, _bind(fx_node, function, args, kwargs, kind), kind)
    raise UnsupportedLayer(fx_node.name, fx_node.op, "parameters read inside forward() have no rule; "
                           "wrap them in a module")
