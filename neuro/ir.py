"""The network description: immutable, passive data (in the spirit of NIR).

A :class:`Graph` is a mapping of names to nodes plus ``(source, target)`` edges.
Nodes hold parameters and never run; ``neuro.compile`` turns a graph into arrays
for the engine. Every node validates itself at construction and raises
``ValueError`` with a message that names the problem; arrays are private,
read-only float64 (or int64) copies.

There are three families of node:

* **sources** -- :class:`Input`: the network's drive, one value per element and
  step (analog current or rate-coded spikes, see ``neuro.encode``);
* **linear maps** -- :class:`Dense`, :class:`Sparse`, :class:`Conv1d`,
  :class:`Conv2d`, :class:`AvgPool1d`, :class:`AvgPool2d`, :class:`Flatten`,
  :class:`Scale`. A chain of them carries events from one population to the
  next; a bias on a linear map becomes a constant current into the neurons at
  the end of the chain;
* **gates** -- :class:`MaxPool1d`, :class:`MaxPool2d`: spiking max-pooling,
  directly after a population, passing an event when a window's maximum count grows;
* **neuron populations** -- :class:`IF`, :class:`LIF`, :class:`CubaLIF` (binary
  spikes) and the graded :class:`SigmaDelta` and :class:`Product`. The only nodes
  with state, the only nodes that may have several incoming edges (their inputs
  are summed; a product keeps its two factors apart), and the only nodes through
  which a cycle may pass.

Shapes never include a batch dimension: an image is ``(channels, height, width)``,
a 1-D signal ``(channels, length)``.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from types import MappingProxyType
from typing import Literal

import numpy as np

__all__ = [
    "Input", "Dense", "Sparse", "Conv1d", "Conv2d", "AvgPool1d", "AvgPool2d",
    "MaxPool1d", "MaxPool2d", "Flatten", "Scale", "IF", "LIF", "CubaLIF", "Graph", "Node", "NEURON_TYPES",
    "LINEAR_TYPES", "GATE_TYPES", "NODE_TYPES", "equal", "Reset", "SigmaDelta", "Product", "GRADED_TYPES",
    "ACTIVATIONS",
]

Reset = Literal["subtract", "value"]
Shape = tuple[int, ...]


def _frozen_float(name: str, values, *, owner: str) -> np.ndarray:
    array = np.array(values, dtype=np.float64)  # always a private copy
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{owner}.{name} contains NaN or infinite values")
    array.flags.writeable = False
    return array


def _frozen_int(name: str, values, *, owner: str) -> np.ndarray:
    raw = np.asarray(values)
    if raw.size and not np.issubdtype(raw.dtype, np.integer):
        if not np.all(np.isfinite(raw)) or not np.all(np.equal(np.mod(raw, 1), 0)):
            raise ValueError(f"{owner}.{name} must hold integers")
    array = np.array(raw, dtype=np.int64)
    array.flags.writeable = False
    return array


def _pair(name: str, value, *, owner: str, minimum: int) -> tuple[int, ...]:
    items = (value, value) if np.isscalar(value) else tuple(value)
    if len(items) != 2 or any(int(v) != v or v < minimum for v in items):
        raise ValueError(f"{owner}.{name} must be an int or a pair of ints >= {minimum}, got {value!r}")
    return tuple(int(v) for v in items)


def _positive_int(name: str, value, *, owner: str, minimum: int = 1) -> int:
    if isinstance(value, tuple | list) and len(value) == 1:
        value = value[0]
    if int(value) != value or value < minimum:
        raise ValueError(f"{owner}.{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _set(obj, name: str, value) -> None:
    object.__setattr__(obj, name, value)


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True, eq=False)
class Input:
    """The network's drive: one value per element and time step."""

    shape: Shape

    def __post_init__(self):
        shape = tuple(int(s) for s in np.atleast_1d(self.shape))
        if not shape or any(s < 1 for s in shape):
            raise ValueError(f"Input.shape must be a non-empty tuple of positive ints, got {self.shape!r}")
        _set(self, "shape", shape)

    def output_shape(self, input_shape: Shape | None = None) -> Shape:
        return self.shape


# --------------------------------------------------------------------------- linear maps


@dataclass(frozen=True, eq=False)
class Dense:
    """``y = weight @ x + bias`` on a flat vector (NIR's ``Affine``)."""

    weight: np.ndarray  # (n_out, n_in)
    bias: np.ndarray | None = None  # (n_out,)

    def __post_init__(self):
        weight = _frozen_float("weight", self.weight, owner="Dense")
        if weight.ndim != 2 or 0 in weight.shape:
            raise ValueError(f"Dense.weight must be a non-empty 2-D array (n_out, n_in), got shape {weight.shape}")
        _set(self, "weight", weight)
        bias = np.zeros(weight.shape[0]) if self.bias is None else self.bias
        bias = _frozen_float("bias", bias, owner="Dense")
        if bias.shape != (weight.shape[0],):
            raise ValueError(f"Dense.bias must have shape ({weight.shape[0]},), got {bias.shape}")
        _set(self, "bias", bias)

    def output_shape(self, input_shape: Shape) -> Shape:
        if input_shape != (self.weight.shape[1],):
            raise ValueError(f"expects input shape ({self.weight.shape[1]},), receives {input_shape}")
        return (self.weight.shape[0],)


@dataclass(frozen=True, eq=False)
class Sparse:
    """Explicit synapses ``pre -> post`` with a weight and a delay in steps each.

    For random connectivity such as Brian2's CUBA example. ``delay`` is added to
    the latency model's per-projection delay chosen at compile time.
    """

    n_in: int
    n_out: int
    pre: np.ndarray
    post: np.ndarray
    weight: np.ndarray
    delay: np.ndarray | None = None

    def __post_init__(self):
        _set(self, "n_in", _positive_int("n_in", self.n_in, owner="Sparse"))
        _set(self, "n_out", _positive_int("n_out", self.n_out, owner="Sparse"))
        pre = _frozen_int("pre", self.pre, owner="Sparse").ravel()
        post = _frozen_int("post", self.post, owner="Sparse").ravel()
        weight = _frozen_float("weight", self.weight, owner="Sparse").ravel()
        delay = np.zeros(pre.size, np.int64) if self.delay is None else self.delay
        delay = _frozen_int("delay", delay, owner="Sparse").ravel()
        if not (pre.size == post.size == weight.size == delay.size):
            raise ValueError(
                "Sparse.pre, post, weight and delay must have the same length, got "
                f"{pre.size}, {post.size}, {weight.size}, {delay.size}"
            )
        if pre.size and (pre.min() < 0 or pre.max() >= self.n_in):
            raise ValueError(f"Sparse.pre indices must lie in [0, {self.n_in})")
        if post.size and (post.min() < 0 or post.max() >= self.n_out):
            raise ValueError(f"Sparse.post indices must lie in [0, {self.n_out})")
        if delay.size and delay.min() < 0:
            raise ValueError("Sparse.delay must be >= 0 steps")
        for name, value in (("pre", pre), ("post", post), ("weight", weight), ("delay", delay)):
            _set(self, name, value)

    @property
    def bias(self) -> np.ndarray:
        return np.zeros(self.n_out)

    def output_shape(self, input_shape: Shape) -> Shape:
        if int(np.prod(input_shape)) != self.n_in or len(input_shape) != 1:
            raise ValueError(f"expects input shape ({self.n_in},), receives {input_shape}")
        return (self.n_out,)


def _conv_output_size(size: int, kernel: int, stride: int, padding: int, dilation: int) -> int:
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


@dataclass(frozen=True, eq=False)
class Conv2d:
    """2-D convolution as in ``torch.nn.Conv2d`` (cross-correlation), with bias.

    ``weight`` has shape ``(out_channels, in_channels // groups, kh, kw)``.
    The engine delivers a spike through this kernel directly; it never expands
    the layer into explicit synapses.
    """

    weight: np.ndarray
    bias: np.ndarray | None = None
    stride: tuple[int, int] = (1, 1)
    padding: tuple[int, int] = (0, 0)
    dilation: tuple[int, int] = (1, 1)
    groups: int = 1

    _ndim = 2

    def __post_init__(self):
        owner = type(self).__name__
        weight = _frozen_float("weight", self.weight, owner=owner)
        if weight.ndim != self._ndim + 2 or 0 in weight.shape:
            raise ValueError(f"{owner}.weight must be a non-empty {self._ndim + 2}-D array, got shape {weight.shape}")
        _set(self, "weight", weight)
        groups = _positive_int("groups", self.groups, owner=owner)
        if weight.shape[0] % groups:
            raise ValueError(f"{owner}: out_channels {weight.shape[0]} is not divisible by groups {groups}")
        _set(self, "groups", groups)
        bias = np.zeros(weight.shape[0]) if self.bias is None else self.bias
        bias = _frozen_float("bias", bias, owner=owner)
        if bias.shape != (weight.shape[0],):
            raise ValueError(f"{owner}.bias must have shape ({weight.shape[0]},), got {bias.shape}")
        _set(self, "bias", bias)
        for name, minimum in (("stride", 1), ("padding", 0), ("dilation", 1)):
            value = getattr(self, name)
            if self._ndim == 1:
                _set(self, name, (_positive_int(name, value, owner=owner, minimum=minimum),))
            else:
                _set(self, name, _pair(name, value, owner=owner, minimum=minimum))

    @property
    def in_channels(self) -> int:
        return self.weight.shape[1] * self.groups

    def output_shape(self, input_shape: Shape) -> Shape:
        if len(input_shape) != self._ndim + 1 or input_shape[0] != self.in_channels:
            expected = "(channels, length)" if self._ndim == 1 else "(channels, height, width)"
            raise ValueError(
                f"expects input {expected} with {self.in_channels} channels, receives {input_shape}"
            )
        sizes = tuple(
            _conv_output_size(n, k, s, p, d)
            for n, k, s, p, d in zip(
                input_shape[1:], self.weight.shape[2:], self.stride, self.padding, self.dilation,
                strict=True,
            )
        )
        if any(n < 1 for n in sizes):
            raise ValueError(f"kernel larger than the padded input {input_shape}")
        return (self.weight.shape[0], *sizes)


@dataclass(frozen=True, eq=False)
class Conv1d(Conv2d):
    """1-D convolution as in ``torch.nn.Conv1d``; ``weight`` is ``(out, in // groups, k)``."""

    stride: tuple[int] = (1,)
    padding: tuple[int] = (0,)
    dilation: tuple[int] = (1,)

    _ndim = 1


@dataclass(frozen=True, eq=False)
class _Pooling:
    """Shared shape rules of the pooling nodes (torch's, with ``ceil_mode=False``)."""

    kernel_size: tuple[int, int]
    stride: tuple[int, int] | None = None
    padding: tuple[int, int] = (0, 0)

    _ndim = 2

    def __post_init__(self):
        owner = type(self).__name__
        stride = self.kernel_size if self.stride is None else self.stride
        for name, value, minimum in (
            ("kernel_size", self.kernel_size, 1), ("stride", stride, 1), ("padding", self.padding, 0),
        ):
            if self._ndim == 1:
                _set(self, name, (_positive_int(name, value, owner=owner, minimum=minimum),))
            else:
                _set(self, name, _pair(name, value, owner=owner, minimum=minimum))
        if any(2 * p > k for p, k in zip(self.padding, self.kernel_size, strict=True)):
            raise ValueError(f"{owner}.padding must be at most half the kernel size")

    @property
    def bias(self) -> np.ndarray:
        return np.zeros(0)

    @property
    def geometry_2d(self) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
        """(kernel, stride, padding) as 2-D pairs: a 1-D pool is a 2-D one over a height of 1."""
        if self._ndim == 1:
            return (1, *self.kernel_size), (1, *self.stride), (0, *self.padding)
        return self.kernel_size, self.stride, self.padding

    def output_shape(self, input_shape: Shape) -> Shape:
        if len(input_shape) != self._ndim + 1:
            raise ValueError(f"expects a {self._ndim + 1}-D input (channels, ...), receives {input_shape}")
        sizes = tuple(
            _conv_output_size(n, k, s, p, 1)
            for n, k, s, p in zip(input_shape[1:], self.kernel_size, self.stride, self.padding, strict=True)
        )
        if any(n < 1 for n in sizes):
            raise ValueError(f"pooling window larger than the input {input_shape}")
        return (input_shape[0], *sizes)


@dataclass(frozen=True, eq=False)
class AvgPool2d(_Pooling):
    """Average pooling as ``torch.nn.AvgPool2d`` with ``count_include_pad=True``."""


@dataclass(frozen=True, eq=False)
class AvgPool1d(AvgPool2d):
    """Average pooling as ``torch.nn.AvgPool1d`` with ``count_include_pad=True``."""

    kernel_size: tuple[int]
    stride: tuple[int] | None = None
    padding: tuple[int] = (0,)

    _ndim = 1


@dataclass(frozen=True, eq=False)
class MaxPool2d(_Pooling):
    """Spiking max-pooling: a gate on the events of the population it follows.

    An addition to NIR, which has no max-pooling. Each window passes one event
    (payload 1) every time the largest cumulative event count among its members
    grows, so the window's output count always equals its busiest member's count:
    the rate of the window is the largest rate in it, as ``max`` does in the ANN
    (gating on accumulated activity, after Rueckauer et al. 2017, without their
    double counting when two members tie). Must follow a neuron population
    directly; padding never counts.
    """


@dataclass(frozen=True, eq=False)
class MaxPool1d(MaxPool2d):
    """Spiking max-pooling over a 1-D signal; see :class:`MaxPool2d`."""

    kernel_size: tuple[int]
    stride: tuple[int] | None = None
    padding: tuple[int] = (0,)

    _ndim = 1


@dataclass(frozen=True, eq=False)
class Flatten:
    """Reshape any input to a flat vector (C-order, as ``torch.flatten(x, 1)``)."""

    def output_shape(self, input_shape: Shape) -> Shape:
        return (int(np.prod(input_shape)),)


@dataclass(frozen=True, eq=False)
class Scale:
    """Elementwise ``y = scale * x`` (NIR's ``Scale``); e.g. a residual shortcut."""

    scale: np.ndarray

    def __post_init__(self):
        scale = _frozen_float("scale", self.scale, owner="Scale")
        if scale.ndim == 0 or scale.size == 0:
            raise ValueError("Scale.scale must be a non-empty array with the shape of its input")
        _set(self, "scale", scale)

    def output_shape(self, input_shape: Shape) -> Shape:
        if tuple(input_shape) != self.scale.shape:
            raise ValueError(f"expects input shape {self.scale.shape}, receives {input_shape}")
        return self.scale.shape


# --------------------------------------------------------------------------- neurons


def _neuron_arrays(obj, names: tuple[str, ...]) -> None:
    owner = type(obj).__name__
    shape = None
    for name in names:
        array = _frozen_float(name, getattr(obj, name), owner=owner)
        if shape is None:
            shape = array.shape
            if array.ndim == 0 or array.size == 0:
                raise ValueError(f"{owner}.{name} must be a non-empty array with the population's shape")
        elif array.shape != shape:
            raise ValueError(f"{owner}.{name} has shape {array.shape}, expected {shape} like {names[0]}")
        _set(obj, name, array)
    if obj.reset not in ("subtract", "value"):
        raise ValueError(f"{owner}.reset must be 'subtract' or 'value', got {obj.reset!r}")
    if np.any(obj.v_threshold <= 0):
        raise ValueError(f"{owner}.v_threshold must be positive")
    for name in ("tau", "tau_mem", "tau_syn"):
        if name in names and np.any(getattr(obj, name) <= 0):
            raise ValueError(f"{owner}.{name} must be positive (seconds)")


def _uniform(shape, **values) -> dict[str, np.ndarray]:
    shape = tuple(np.atleast_1d(shape))
    return {k: np.full(shape, float(v)) for k, v in values.items()}


class _Population:
    """What every neuron population shares: its shape is that of its threshold array (all its
    arrays are alike, checked at construction), and it passes that shape on whatever its inputs."""

    _threshold = "v_threshold"  # the graded populations call theirs "threshold"

    @property
    def shape(self) -> Shape:
        return getattr(self, self._threshold).shape

    def output_shape(self, input_shape: Shape | None = None) -> Shape:
        return self.shape


@dataclass(frozen=True, eq=False)
class IF(_Population):
    """Integrate-and-fire population (no leak).

    Per step: ``v <- v + r * I`` where ``I`` is the summed arriving input plus the
    constant bias of the incoming linear maps. A neuron with ``v >= v_threshold``
    emits a spike (payload 1) and resets: ``reset="subtract"`` lowers ``v`` by
    ``v_threshold`` (reset by subtraction, the conversion default; an addition to
    NIR, whose IF resets to a value), ``reset="value"`` sets ``v = v_reset``.
    ``v_initial`` is the membrane at step 0 (e.g. half threshold).

    ``signed=True`` (reset by subtraction only) makes a neuron that can take a spike
    back: when, after the spike test, ``v < 0`` and its net count (positive minus
    negative spikes so far) is above 0, it emits a negative spike (payload -1) and
    ``v <- v + v_threshold``. Its net count then stays the rounding of its summed
    input however unevenly that input arrived over the steps (a dual-threshold or
    "signed" neuron, as in low-latency conversion); a chip must be able to send a
    negative event.
    """

    v_threshold: np.ndarray
    r: np.ndarray | None = None
    v_reset: np.ndarray | None = None
    v_initial: np.ndarray | None = None
    reset: Reset = "subtract"
    signed: bool = False

    def __post_init__(self):
        shape = np.shape(self.v_threshold)
        for name, default in (("r", 1.0), ("v_reset", 0.0), ("v_initial", 0.0)):
            if getattr(self, name) is None:
                _set(self, name, np.full(shape, default))
        _neuron_arrays(self, ("v_threshold", "r", "v_reset", "v_initial"))
        if not isinstance(self.signed, bool):
            raise ValueError(f"IF.signed must be true or false, got {self.signed!r}")
        if self.signed and self.reset != "subtract":
            raise ValueError("IF.signed needs reset='subtract': a negative spike gives back the threshold that "
                             "a positive one took")

    @classmethod
    def uniform(cls, shape, *, v_threshold=1.0, r=1.0, v_reset=0.0, v_initial=0.0, reset="subtract",
                signed=False):
        return cls(**_uniform(shape, v_threshold=v_threshold, r=r, v_reset=v_reset,
                              v_initial=v_initial), reset=reset, signed=signed)


@dataclass(frozen=True, eq=False)
class LIF(_Population):
    """Leaky integrate-and-fire population.

    Per step of ``dt`` seconds, with ``a = exp(-dt / tau)``:
    ``v <- v_leak + a * (v - v_leak) + r * I``; spike and reset as :class:`IF`.
    ``r`` is the per-step input gain (NIR's continuous ``r`` corresponds to
    ``dt * r / tau`` under forward Euler; the NIR adapter converts).
    """

    tau: np.ndarray
    v_threshold: np.ndarray
    r: np.ndarray | None = None
    v_leak: np.ndarray | None = None
    v_reset: np.ndarray | None = None
    v_initial: np.ndarray | None = None
    reset: Reset = "subtract"

    def __post_init__(self):
        shape = np.shape(self.tau)
        for name, default in (("r", 1.0), ("v_leak", 0.0), ("v_reset", 0.0), ("v_initial", 0.0)):
            if getattr(self, name) is None:
                _set(self, name, np.full(shape, default))
        _neuron_arrays(self, ("tau", "v_threshold", "r", "v_leak", "v_reset", "v_initial"))

    @classmethod
    def uniform(cls, shape, *, tau, v_threshold=1.0, r=1.0, v_leak=0.0, v_reset=0.0,
                v_initial=0.0, reset="subtract"):
        return cls(**_uniform(shape, tau=tau, v_threshold=v_threshold, r=r, v_leak=v_leak,
                              v_reset=v_reset, v_initial=v_initial), reset=reset)


@dataclass(frozen=True, eq=False)
class CubaLIF(_Population):
    """Current-based LIF population (NIR's ``CubaLIF``; Loihi's neuron model).

    Per step, with ``a_syn = exp(-dt / tau_syn)`` and ``a_mem = exp(-dt / tau_mem)``:
    ``i <- a_syn * i + w_in * arriving`` then
    ``v <- v_leak + a_mem * (v - v_leak) + r * (i + bias)``; spike and reset as
    :class:`IF`. The bias of the incoming linear maps feeds the membrane directly.
    """

    tau_syn: np.ndarray
    tau_mem: np.ndarray
    v_threshold: np.ndarray
    r: np.ndarray | None = None
    w_in: np.ndarray | None = None
    v_leak: np.ndarray | None = None
    v_reset: np.ndarray | None = None
    v_initial: np.ndarray | None = None
    reset: Reset = "subtract"

    def __post_init__(self):
        shape = np.shape(self.tau_mem)
        for name, default in (("r", 1.0), ("w_in", 1.0), ("v_leak", 0.0), ("v_reset", 0.0),
                              ("v_initial", 0.0)):
            if getattr(self, name) is None:
                _set(self, name, np.full(shape, default))
        _neuron_arrays(self, ("tau_mem", "tau_syn", "v_threshold", "r", "w_in", "v_leak",
                              "v_reset", "v_initial"))

    @classmethod
    def uniform(cls, shape, *, tau_syn, tau_mem, v_threshold=1.0, r=1.0, w_in=1.0, v_leak=0.0,
                v_reset=0.0, v_initial=0.0, reset="subtract"):
        return cls(**_uniform(shape, tau_syn=tau_syn, tau_mem=tau_mem, v_threshold=v_threshold,
                              r=r, w_in=w_in, v_leak=v_leak, v_reset=v_reset, v_initial=v_initial),
                   reset=reset)


ACTIVATIONS = ("identity", "relu", "hard_sigmoid", "hard_tanh")


def _graded_arrays(obj, shape_from: str) -> None:
    owner = type(obj).__name__
    threshold = _frozen_float("threshold", getattr(obj, shape_from), owner=owner)
    if threshold.ndim == 0 or threshold.size == 0:
        raise ValueError(f"{owner}.threshold must be a non-empty array with the population's shape")
    if np.any(threshold < 0):
        raise ValueError(f"{owner}.threshold must be >= 0 (0 sends every change: exact)")
    _set(obj, "threshold", threshold)


@dataclass(frozen=True, eq=False)
class SigmaDelta(_Population):
    """Graded (sigma-delta) population: sends the change of its activation. An addition to NIR.

    Per step: ``u <- u + arriving`` if ``accumulate`` (the inputs are changes,
    e.g. from other sigma-delta populations) else ``u <- arriving`` (the inputs
    are values, e.g. analog input); then ``y = activation(u + bias)`` with the
    constant bias of the incoming maps. If ``|y - sent| > threshold`` the neuron
    emits one event whose payload is ``y - sent`` and sets ``sent = y``. A
    receiver that accumulates the payloads therefore holds ``y`` to within the
    threshold, exactly at threshold 0. Activations: ``identity``, ``relu``,
    ``hard_sigmoid`` = clip(0.25 z + 0.5, 0, 1), ``hard_tanh`` = clip(z, -1, 1).
    """

    _threshold = "threshold"

    threshold: np.ndarray
    activation: str = "identity"
    accumulate: bool = True

    def __post_init__(self):
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"SigmaDelta.activation must be one of {ACTIVATIONS}, got {self.activation!r}")
        if not isinstance(self.accumulate, bool | np.bool_):
            raise ValueError("SigmaDelta.accumulate must be True or False")
        _set(self, "accumulate", bool(self.accumulate))
        _graded_arrays(self, "threshold")


@dataclass(frozen=True, eq=False)
class Product(_Population):
    """Graded product population: ``y = a * b`` of two inputs, sent as changes. An addition to NIR.

    ``factors`` names the two nodes whose edges feed the factors ``a`` and ``b``;
    each factor accumulates the changes arriving on its own edge (so both come
    from sigma-delta or product populations). Emission as :class:`SigmaDelta`.
    The gate products of an LSTM (``f * c``, ``i * g``, ``o * tanh c``) are these.
    """

    _threshold = "threshold"

    threshold: np.ndarray
    factors: tuple[str, str] = ("", "")

    def __post_init__(self):
        factors = tuple(self.factors)
        if len(factors) != 2 or not all(isinstance(f, str) and f for f in factors) or factors[0] == factors[1]:
            raise ValueError(f"Product.factors must name two different source nodes, got {self.factors!r}")
        _set(self, "factors", factors)
        _graded_arrays(self, "threshold")


GRADED_TYPES = (SigmaDelta, Product)
NEURON_TYPES = (IF, LIF, CubaLIF, SigmaDelta, Product)
LINEAR_TYPES = (Dense, Sparse, Conv1d, Conv2d, AvgPool1d, AvgPool2d, Flatten, Scale)
GATE_TYPES = (MaxPool1d, MaxPool2d)
NODE_TYPES = {cls.__name__: cls for cls in (Input, *LINEAR_TYPES, *GATE_TYPES, *NEURON_TYPES)}
Node = (Input | Dense | Sparse | Conv1d | Conv2d | AvgPool1d | AvgPool2d | MaxPool1d | MaxPool2d | Flatten | Scale
        | IF | LIF | CubaLIF | SigmaDelta | Product)


# --------------------------------------------------------------------------- graph


@dataclass(frozen=True, eq=False)
class Graph:
    """Named nodes plus directed edges; shapes are inferred and checked.

    Rules, checked at construction: every edge names existing nodes; an
    :class:`Input` has no incoming edge; every other node has at least one; only
    neuron populations may have several (their inputs are summed, which is how a
    residual addition is written) and only they may close a cycle; the shapes
    along every edge agree. ``metadata`` holds JSON-serialisable facts about how
    the graph was made (conversion settings, approximations the user opted into).
    """

    nodes: Mapping[str, Node]
    edges: tuple[tuple[str, str], ...]
    metadata: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self):
        nodes = dict(self.nodes)
        for name, node in nodes.items():
            if not isinstance(name, str) or not name or "/" in name:
                raise ValueError(f"node names must be non-empty strings without '/', got {name!r}")
            if type(node).__name__ not in NODE_TYPES or not isinstance(node, NODE_TYPES[type(node).__name__]):
                raise ValueError(f"node {name!r} has unsupported type {type(node).__name__}")
        edges = tuple((str(a), str(b)) for a, b in self.edges)
        for source, target in edges:
            for end in (source, target):
                if end not in nodes:
                    raise ValueError(f"edge ({source!r}, {target!r}) names unknown node {end!r}")
        if len(set(edges)) != len(edges):
            raise ValueError("duplicate edges")
        _set(self, "nodes", MappingProxyType(nodes))
        _set(self, "edges", edges)
        _set(self, "metadata", MappingProxyType(dict(self.metadata)))
        # each node's neighbours, once: looking them up by scanning the edges made loading quadratic or worse
        incoming: dict[str, list[str]] = {name: [] for name in nodes}
        outgoing: dict[str, list[str]] = {name: [] for name in nodes}
        for source, target in edges:
            incoming[target].append(source)
            outgoing[source].append(target)
        _set(self, "_incoming", MappingProxyType({n: tuple(v) for n, v in incoming.items()}))
        _set(self, "_outgoing", MappingProxyType({n: tuple(v) for n, v in outgoing.items()}))
        _set(self, "_shapes", MappingProxyType(self._infer_shapes()))

    def predecessors(self, name: str) -> tuple[str, ...]:
        return self._incoming[name]

    def successors(self, name: str) -> tuple[str, ...]:
        return self._outgoing[name]

    @property
    def shapes(self) -> Mapping[str, Shape]:
        """Output shape of every node."""
        return self._shapes

    # a graph never changes: these are worked out once (an engine run reads them, and at batch 1 a run is short)
    @cached_property
    def inputs(self) -> tuple[str, ...]:
        return tuple(n for n, node in self.nodes.items() if isinstance(node, Input))

    @cached_property
    def populations(self) -> tuple[str, ...]:
        return tuple(n for n, node in self.nodes.items() if isinstance(node, NEURON_TYPES))

    @cached_property
    def output(self) -> str:
        """The readout population: ``metadata["output"]`` if set, else the single population
        without outgoing edges (or the only population of a recurrent graph)."""
        named = self.metadata.get("output")
        if named is not None:
            if named not in self.populations:
                raise ValueError(f"metadata['output'] names {named!r}, which is not a neuron population")
            return named
        sinks = [n for n in self.populations if not self.successors(n)]
        if not sinks and len(self.populations) == 1:
            return self.populations[0]
        if len(sinks) != 1:
            raise ValueError(f"graph has {len(sinks)} output populations {sinks}; expected exactly one "
                             "(name the readout with metadata={'output': NAME})")
        return sinks[0]

    def _infer_shapes(self) -> dict[str, Shape]:
        shapes: dict[str, Shape] = {}
        for name, node in self.nodes.items():
            incoming = self.predecessors(name)
            if isinstance(node, Input):
                if incoming:
                    raise ValueError(f"Input node {name!r} cannot have incoming edges {incoming}")
                shapes[name] = node.shape
            elif not incoming:
                raise ValueError(f"node {name!r} has no incoming edge")
            elif isinstance(node, NEURON_TYPES):
                shapes[name] = node.shape
            elif len(incoming) > 1:
                raise ValueError(
                    f"linear node {name!r} has {len(incoming)} incoming edges; only neuron "
                    "populations sum several inputs"
                )
            elif isinstance(node, GATE_TYPES) and not isinstance(self.nodes[incoming[0]], NEURON_TYPES):
                raise ValueError(
                    f"{type(node).__name__} {name!r} must follow a neuron population directly (it gates "
                    f"that population's events), not {type(self.nodes[incoming[0]]).__name__} {incoming[0]!r}"
                )
        # Linear chains start at a source or a population, whose shapes are known: resolve them by
        # walking forward from those, each edge once (a linear node has exactly one predecessor)
        known = deque(shapes)
        while known:
            source = known.popleft()
            for name in self._outgoing[source]:
                if name in shapes:
                    continue
                try:
                    shapes[name] = self.nodes[name].output_shape(shapes[source])
                except ValueError as error:
                    raise ValueError(f"node {name!r} ({type(self.nodes[name]).__name__}) {error}") from None
                known.append(name)
        pending = [n for n in self.nodes if n not in shapes]
        if pending:
            raise ValueError(f"nodes {pending} form a cycle without a neuron population")
        for name, node in self.nodes.items():
            if isinstance(node, Product) and set(self.predecessors(name)) != set(node.factors):
                raise ValueError(f"Product {name!r} has incoming edges from {list(self.predecessors(name))}; "
                                 f"its factors are {list(node.factors)}: one edge from each")
        for source, target in self.edges:
            if isinstance(self.nodes[target], NEURON_TYPES) and shapes[source] != shapes[target]:
                raise ValueError(
                    f"edge ({source!r}, {target!r}): population {target!r} has shape "
                    f"{shapes[target]} but receives {shapes[source]}"
                )
        return shapes


def node_fields(node) -> dict[str, object]:
    """The constructor arguments of a node, by name."""
    return {f.name: getattr(node, f.name) for f in fields(node)}


def _values_equal(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and np.array_equal(a, b) \
            and a.dtype == b.dtype
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def equal(a: Graph, b: Graph) -> bool:
    """Structural equality of two graphs: same nodes, parameters, edges, metadata."""
    if set(a.nodes) != set(b.nodes) or set(a.edges) != set(b.edges):
        return False
    if dict(a.metadata) != dict(b.metadata):
        return False
    for name, node in a.nodes.items():
        other = b.nodes[name]
        if type(node) is not type(other):
            return False
        if not all(_values_equal(x, y) for x, y in zip(node_fields(node).values(),
                                                       node_fields(other).values(), strict=True)):
            return False
    return True
