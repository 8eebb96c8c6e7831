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
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

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
        node = ir.IF(v_threshold=scale, v_initial=0.5 * scale if half else None, reset=self.config.reset)
        pop = self.add(name, node, *analog.tails)
        if quantised is not None:
            self.quantised.append(pop)
        self.layers.append({"population": pop, "threshold_min": float(scale.min()),
                            "threshold_max": float(scale.max()), "neurons": int(scale.size)})
        return Spikes(pop, scale)

    def to_analog(self, value, name: str) -> Analog:
        """Any value as a pre-activation: spikes are weighted back by their scale."""
        if isinstance(value, Analog):
            return value
        if isinstance(value, Spikes):
            scaled = self.add(f"{name}_scale", ir.Scale(value.scale), value.tail)
            return Analog((scaled,), value.shape, name)
        raise ConversionError(f"'{name}': cannot use {type(value).__name__} here")

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
        metadata = {
            "conversion": {
                "method": "rate (IF, data-based normalisation)", **self.config.as_dict(),
                "input": "analog", "readout": "membrane", "output_population": out,
                "output_scale": float(np.max(output_scale)), "folded_batchnorm": list(folded),
                "layers": self.layers, "approximations": [],
                **({} if self.levels is None else {
                    "activation_levels": self.levels, "quantised_populations": list(self.quantised),
                    "threshold_source": "learned clip of QuantisedReLU (no percentile calibration)"}),
            },
        }
        return ir.Graph(nodes=self.nodes, edges=tuple(self.edges), metadata=metadata)


# --------------------------------------------------------------------------- helpers


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


def _pool_args(fx_node, module, args, kwargs, ndim):
    if module is not None:
        kernel, stride, padding = module.kernel_size, module.stride, module.padding
        ceil = module.ceil_mode
        extra_ok = getattr(module, "dilation", 1) in (1, (1,) * ndim) and getattr(module, "count_include_pad", True) \
            and getattr(module, "divisor_override", None) is None and not getattr(module, "return_indices", False)
    else:
        names = ["kernel_size", "stride", "padding"]
        values = dict(zip(names, args[1:4], strict=False)) | {k: v for k, v in kwargs.items() if k in names}
        kernel, stride, padding = values["kernel_size"], values.get("stride"), values.get("padding", 0)
        ceil = kwargs.get("ceil_mode", False)
        extra_ok = kwargs.get("dilation", 1) in (1, (1,) * ndim) and kwargs.get("count_include_pad", True) \
            and kwargs.get("divisor_override") is None and not kwargs.get("return_indices", False)
    if ceil or not extra_ok:
        raise UnsupportedLayer(str(fx_node.target), "pooling",
                               "ceil_mode, dilation, divisor_override, return_indices and count_include_pad=False "
                               "have no rule; use the defaults")
    stride = kernel if stride in (None, ()) else stride
    return _ints(kernel, ndim), _ints(stride, ndim), _ints(padding, ndim)


def _pooled(b: Builder, fx_node, x: Spikes, pool) -> Spikes:
    """Spikes after a pooling node: pooling stays within a channel, so each channel keeps its scale."""
    name = b.add(fx_node.name, pool, x.tail)
    return Spikes(name, _broadcast_channels(_channel_scale(x, fx_node), pool.output_shape(x.shape)))


def _avg_pool(ndim):
    def rule(b: Builder, fx_node, module, args, kwargs):
        x = _spikes(args[0], fx_node, "average pooling")
        kernel, stride, padding = _pool_args(fx_node, module, args, kwargs, ndim)
        cls = ir.AvgPool1d if ndim == 1 else ir.AvgPool2d
        return _pooled(b, fx_node, x, cls(kernel, stride, padding))
    return rule


def _adaptive_avg_pool(ndim):
    def rule(b: Builder, fx_node, module, args, kwargs):
        x = _spikes(args[0], fx_node, "adaptive average pooling")
        size = module.output_size if module is not None else (args[1] if len(args) > 1 else kwargs["output_size"])
        size = tuple(n if s is None else s for s, n in zip(_ints(size, ndim) if size is not None else x.shape[1:],
                                                           x.shape[1:], strict=True))
        if any(n % s for n, s in zip(x.shape[1:], size, strict=True)):
            raise UnsupportedLayer(str(fx_node.target), "AdaptiveAvgPool",
                                   f"input size {x.shape[1:]} is not a multiple of the output size {size}; "
                                   "use an output size that divides the input")
        kernel = tuple(n // s for n, s in zip(x.shape[1:], size, strict=True))
        cls = ir.AvgPool1d if ndim == 1 else ir.AvgPool2d
        return _pooled(b, fx_node, x, cls(kernel, kernel, (0,) * ndim))
    return rule


def _max_pool(ndim):
    def rule(b: Builder, fx_node, module, args, kwargs):
        kernel, stride, padding = _pool_args(fx_node, module, args, kwargs, ndim)
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


def _reshape(b: Builder, fx_node, module, args, kwargs):
    """Flatten in any spelling (nn.Flatten, torch.flatten, x.view(n, -1), ...), read off the shapes."""
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


def _add(b: Builder, fx_node, module, args, kwargs):
    left, right = args[0], args[1]
    if not all(isinstance(v, Spikes | Analog) for v in (left, right)):
        raise UnsupportedLayer(fx_node.name, "add",
                               "only the sum of two tensors (a residual connection) converts, not adding a constant")
    if tuple(left.shape) != tuple(right.shape):
        raise ConversionError(f"'{fx_node.name}': adding shapes {left.shape} and {right.shape} (no broadcasting)")
    a, c = b.to_analog(left, fx_node.name), b.to_analog(right, fx_node.name)
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
    F.dropout: _identity,
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


def lower_node(b: Builder, fx_node, modules: dict, args, kwargs):
    """Lower one traced operation with its rule."""
    if fx_node.op == "placeholder":
        if any(isinstance(n, ir.Input) for n in b.nodes.values()):
            raise ConversionError("the model takes several inputs; convert a model with one input tensor")
        shape = tuple(b.activation(fx_node.name).shape[1:])
        name = b.add("input", ir.Input(shape))
        return Spikes(name, np.ones(shape))  # analog input: an event carries the value itself
    if fx_node.op == "call_module":
        module = modules[fx_node.target]
        rule = MODULE_RULES.get(type(module))
        if rule is None:
            raise UnsupportedLayer(fx_node.target, type(module).__name__, advice(type(module).__name__))
        return rule(b, fx_node, module, args, kwargs)
    if fx_node.op == "call_function":
        rule = FUNCTION_RULES.get(fx_node.target)
        kind = getattr(fx_node.target, "__name__", str(fx_node.target))
        if rule is None:
            raise UnsupportedLayer(fx_node.name, f"function {kind}", advice(kind))
        return rule(b, fx_node, None, args, kwargs)
    if fx_node.op == "call_method":
        rule = METHOD_RULES.get(fx_node.target)
        if rule is None:
            raise UnsupportedLayer(fx_node.name, f"method .{fx_node.target}()", advice(fx_node.target))
        return rule(b, fx_node, None, args, kwargs)
    raise UnsupportedLayer(fx_node.name, fx_node.op, "parameters read inside forward() have no rule; "
                           "wrap them in a module")
