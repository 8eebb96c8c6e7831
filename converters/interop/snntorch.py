"""snntorch <-> IR: run a graph as snntorch neurons, and bring snntorch networks in.

:func:`to_snntorch` builds an ``nn.Module`` of torch layers (Linear, Conv, AvgPool,
Flatten) and snntorch ``Leaky`` neurons that computes what the engine computes,
step by step, with the same-step latency model. Two details of snntorch differ
from the engine and are pinned down here rather than approximated:

* snntorch fires on ``mem > threshold``; the engine on ``v >= threshold``. The
  neurons here use a Heaviside that fires at equality (surrogate gradient: the
  arctan of snntorch's default, so the module still trains).
* with ``reset_mechanism="subtract"`` snntorch, by default, subtracts the
  threshold at the *next* step, after the decay; the engine subtracts at once.
  :class:`SameStepLeaky` (an snntorch ``Leaky``) applies the reset in the step it
  fires, which is the engine's rule; with ``beta = 1`` the two agree anyway.

:func:`from_snntorch` reads an ``nn.Sequential`` of such layers and ``snn.Leaky``
neurons into the IR. snntorch's reset to zero (its ``reset_mechanism="zero"``) is
exactly the engine's reset to ``v_reset = 0`` and is converted exactly; a
reset by subtraction is exact for ``beta = 1`` (IF) or ``reset_delay=False``, and
otherwise refused with a message, since the engine would subtract before the decay.

Graded populations (sigma-delta and product, e.g. a converted LSTM) have no
snntorch neuron; the module runs them as plain torch (:class:`GradedNeurons`),
in both modes, with projection delays read from the outputs of earlier steps.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import snntorch as snn
import torch
import torch.nn.functional as F
from torch import nn

from converters.errors import ConversionError, UnsupportedLayer
from converters.lstm.graded import hard_sigmoid, hard_tanh
from neuro import ir
from neuro.discrete import step_constants, tau_for_decay
from neuro.plan import LatencyModel, plan
from neuro.structure import projection_bias

__all__ = ["to_snntorch", "from_snntorch", "SnnTorchNetwork", "SameStepLeaky", "PlainLeaky", "GradedNeurons",
           "heaviside"]


class _Heaviside(torch.autograd.Function):
    """1 where ``x >= 0``; the backward pass is snntorch's arctan surrogate (alpha 2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x >= 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (1 + (math.pi * x).pow(2))


def heaviside(x: torch.Tensor) -> torch.Tensor:
    return _Heaviside.apply(x)


class SameStepLeaky(snn.Leaky):
    """snntorch ``Leaky`` whose reset takes effect in the step it fires (the engine's rule).

    ``mem <- beta * mem + input``; a spike where ``mem >= threshold``; then
    ``mem <- mem - threshold`` (subtract) or ``mem <- 0`` (zero).
    """

    def __init__(self, beta, threshold, reset_mechanism: str = "subtract"):
        super().__init__(beta=beta, threshold=threshold, spike_grad=heaviside, reset_mechanism=reset_mechanism,
                         reset_delay=False)

    def mem_reset(self, mem):
        # no pending reset from the last step: it was applied when the spike was emitted
        return torch.zeros_like(mem)


class PlainLeaky(nn.Module):
    """The same neuron in plain torch (no snntorch): a peer for speed comparisons."""

    def __init__(self, beta, threshold, reset_mechanism: str = "subtract"):
        super().__init__()
        self.register_buffer("beta", beta)
        self.register_buffer("threshold", threshold)
        self.subtract = reset_mechanism == "subtract"

    def forward(self, current, mem):
        mem = self.beta * mem + current
        spikes = (mem >= self.threshold).to(mem.dtype)
        mem = mem - spikes * self.threshold if self.subtract else mem * (1 - spikes)
        return spikes, mem


_ACTIVATIONS = {"identity": lambda z: z, "relu": torch.relu, "hard_sigmoid": hard_sigmoid, "hard_tanh": hard_tanh}


class GradedNeurons(nn.Module):
    """A sigma-delta or product population in plain torch (snntorch has no graded neuron).

    ``forward(inputs, state)`` takes the arriving input of each port (one for a
    sigma-delta population, the two factors of a product; without the constant
    bias, which is held here) and the state ``(u, second factor, sent)``; it
    returns ``(events, payloads, state)``: a 0/1 mask of the neurons that send and
    the changes they send, as in ``neuro.ir.SigmaDelta`` / ``neuro.ir.Product``.
    """

    def __init__(self, node, bias: np.ndarray):
        super().__init__()
        self.product = isinstance(node, ir.Product)
        self.activation = "identity" if self.product else node.activation
        self.accumulate = self.product or node.accumulate
        self.register_buffer("threshold", torch.tensor(node.threshold))
        self.register_buffer("bias", torch.tensor(bias))

    def forward(self, inputs: list[torch.Tensor], state):
        u, second, sent = state
        u = u + inputs[0] if self.accumulate else inputs[0]
        if self.product:
            second = second + inputs[1]
            level = u * second
        else:
            level = _ACTIVATIONS[self.activation](u + self.bias)
        change = level - sent
        events = (change.abs() > self.threshold).to(change.dtype)
        sent = torch.where(events > 0, level, sent)
        return events, change * events, (u, second, sent)


class _Scale(nn.Module):
    def __init__(self, scale: np.ndarray):
        super().__init__()
        self.register_buffer("scale", torch.tensor(scale))

    def forward(self, x):
        return x * self.scale


def _linear_module(node, in_shape, with_bias: bool = True) -> nn.Module:
    """The torch layer of a linear IR node (weights copied, float64; the bias left out if asked)."""
    match node:
        case ir.Dense():
            layer = nn.Linear(node.weight.shape[1], node.weight.shape[0], bias=with_bias)
        case ir.Sparse():
            if np.unique(node.delay).size > 1:
                raise ConversionError("a Sparse projection whose synapses have different delays has no "
                                      "snntorch form; run it in the engine or Brian2")
            dense = np.zeros((node.n_out, node.n_in))
            np.add.at(dense, (node.post, node.pre), node.weight)
            layer = nn.Linear(node.n_in, node.n_out, bias=False)
            layer.weight.data = torch.tensor(dense)
            return layer
        case ir.Conv1d():
            layer = nn.Conv1d(in_shape[0], node.weight.shape[0], node.weight.shape[2:], stride=node.stride,
                              padding=node.padding, dilation=node.dilation, groups=node.groups, bias=with_bias)
        case ir.Conv2d():
            layer = nn.Conv2d(in_shape[0], node.weight.shape[0], node.weight.shape[2:], stride=node.stride,
                              padding=node.padding, dilation=node.dilation, groups=node.groups, bias=with_bias)
        case ir.AvgPool1d():
            return nn.AvgPool1d(node.kernel_size, node.stride, node.padding)
        case ir.AvgPool2d():
            return nn.AvgPool2d(node.kernel_size, node.stride, node.padding)
        case ir.Flatten():
            return nn.Flatten(start_dim=1)
        case ir.Scale():
            return _Scale(node.scale)
        case _:
            raise ConversionError(f"{type(node).__name__} has no snntorch form here (a max-pool gate counts "
                                  "spikes over time); convert with average pooling to export to snntorch")
    layer.weight.data = torch.tensor(node.weight)
    if with_bias:
        layer.bias.data = torch.tensor(node.bias)
    return layer


def _neuron_module(name: str, node, dt: float, plain: bool = False) -> nn.Module:
    if not isinstance(node, ir.IF | ir.LIF):  # graded populations are built by SnnTorchNetwork
        raise ConversionError(f"{type(node).__name__} population {name!r} has no snntorch form here; "
                              "IF, LIF and graded populations export (CubaLIF does not)")
    if getattr(node, "signed", False):
        raise ConversionError(f"population {name!r} has signed neurons (negative spikes), which snntorch's "
                              "neurons lack; convert without --signed-neurons")
    if not np.all(node.r == 1.0):
        raise ConversionError(f"population {name!r} has input gain r != 1, which snntorch's Leaky lacks; "
                              "fold r into the incoming weights first")
    if isinstance(node, ir.LIF) and np.any(node.v_leak != 0.0):
        raise ConversionError(f"population {name!r} leaks towards v_leak != 0, which snntorch's Leaky lacks")
    if node.reset == "value" and np.any(node.v_reset != 0.0):
        raise ConversionError(f"population {name!r} resets to v_reset != 0; snntorch resets to zero or "
                              "by subtraction")
    beta = step_constants(node, dt).a_mem
    kind = PlainLeaky if plain else SameStepLeaky
    return kind(beta=torch.tensor(beta), threshold=torch.tensor(node.v_threshold),
                reset_mechanism="subtract" if node.reset == "subtract" else "zero")


class _Gate(nn.Module):
    """A spiking max-pool gate in torch: each window passes as many events this step as its largest count
    of its source's events grew (padding excluded, as torch's max-pooling pads with -inf), the engine's rule.
    Called with the source's cumulative counts before and after the step."""

    def __init__(self, node):
        super().__init__()
        self.kernel, self.stride, self.padding = node.geometry_2d
        self.one_d = isinstance(node, ir.MaxPool1d)

    def _window_max(self, counts: torch.Tensor) -> torch.Tensor:
        planes = counts.unsqueeze(-2) if self.one_d else counts  # a 1-D signal as a height of 1
        best = F.max_pool2d(planes, self.kernel, self.stride, self.padding)
        return best.squeeze(-2) if self.one_d else best

    def forward(self, before: torch.Tensor, after: torch.Tensor) -> torch.Tensor:
        return self._window_max(after) - self._window_max(before)


class SnnTorchNetwork(nn.Module):
    """A graph as torch layers and snntorch neurons, run step by step (same-step latency).

    ``forward(drive, timesteps)`` takes the engine's drive ``(batch, steps, n_inputs)``
    and returns ``{population: spikes (timesteps, batch, *shape)}`` (for a graded
    population: 1 where a neuron sent a change). A projection with a delay of
    ``d`` steps (a delayed ``Sparse`` map, e.g. an LSTM's recurrence) reads what its
    source sent ``d`` steps earlier, as the engine delivers it.
    """

    def __init__(self, graph: ir.Graph, dt: float = 1e-3, plain: bool = False):
        super().__init__()
        the_plan = plan(graph, "same-step")
        self.graph = graph
        self.order = the_plan.order
        self.projections = the_plan.projections
        shapes = graph.shapes
        into_graded = {name for p in self.projections if isinstance(graph.nodes[p.target], ir.GRADED_TYPES)
                       for name in p.chain}
        # per population: its incoming projections, each with its delay in steps and the port it feeds
        self.incoming = {name: [(p, p.min_delay(graph), p.port(graph)) for p in self.projections if p.target == name]
                         for name in graph.populations}
        self.layers = nn.ModuleDict()
        self.neurons = nn.ModuleDict()
        for name, node in graph.nodes.items():
            if isinstance(node, ir.Input):
                continue
            if isinstance(node, ir.GRADED_TYPES):
                # held by the population and added once (every population has an incoming projection)
                bias = sum(projection_bias(graph, p) for p, _, _ in self.incoming[name])
                self.neurons[name] = GradedNeurons(node, bias.reshape(node.shape))
            elif isinstance(node, ir.NEURON_TYPES):
                self.neurons[name] = _neuron_module(name, node, dt, plain)
                self.register_buffer(f"v_initial_{name}", torch.tensor(node.v_initial))
            elif isinstance(node, ir.GATE_TYPES):
                self.layers[name] = _Gate(node)
            else:
                (source,) = graph.predecessors(name)
                # a graded population holds its bias and adds it once, not with every step's input
                self.layers[name] = _linear_module(node, shapes[source], with_bias=name not in into_graded)
        # the populations whose cumulative event counts a max-pool gate reads (no other pays for counting)
        self.gated_sources = {p.source for p in self.projections
                              if any(isinstance(graph.nodes[link], ir.GATE_TYPES) for link in p.chain)}
        # steps of output kept for delayed projections
        self.memory = max((delay for links in self.incoming.values() for _, delay, _ in links), default=0)
        self.columns, column = {}, 0  # each input's columns in the drive
        for name in graph.inputs:
            size = int(np.prod(shapes[name]))
            self.columns[name] = (column, column + size)
            column += size
        self.double()

    def _initial_state(self, name: str, batch: int):
        shape = (batch, *self.graph.shapes[name])
        if isinstance(self.neurons[name], GradedNeurons):
            return tuple(torch.zeros(shape, dtype=torch.float64) for _ in range(3))
        return getattr(self, f"v_initial_{name}").expand(shape).clone()

    def forward(self, drive: torch.Tensor, timesteps: int) -> dict[str, torch.Tensor]:
        shapes = self.graph.shapes
        drive = torch.as_tensor(drive, dtype=torch.float64)
        batch = drive.shape[0]
        state = {name: self._initial_state(name, batch) for name in self.neurons}
        record = {name: [] for name in self.neurons}
        past: deque[dict[str, torch.Tensor]] = deque(maxlen=self.memory)  # what each source sent, latest last
        counts: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}  # a gated source's events: before, after
        for t in range(timesteps):
            row = drive[:, 0 if drive.shape[1] == 1 else t]
            out: dict[str, torch.Tensor] = {}
            for name in self.order:
                if name in self.columns:
                    lo, hi = self.columns[name]
                    out[name] = row[:, lo:hi].reshape(batch, *shapes[name])
                    continue
                graded = isinstance(self.neurons[name], GradedNeurons)
                ports = [torch.zeros(batch, *shapes[name], dtype=torch.float64) for _ in range(2 if graded else 1)]
                for projection, delay, port in self.incoming[name]:
                    if delay > len(past):  # nothing sent that long ago yet
                        continue
                    x = out[projection.source] if delay == 0 else past[-delay][projection.source]
                    for link in projection.chain:
                        if isinstance(self.layers[link], _Gate):  # reads its source's counts, not this step's x
                            x = self.layers[link](*counts[projection.source])
                        else:
                            x = self.layers[link](x)
                    ports[port] = ports[port] + x
                if graded:
                    record_spikes, out[name], state[name] = self.neurons[name](ports, state[name])
                else:
                    out[name], state[name] = self.neurons[name](ports[0], state[name])
                    record_spikes = out[name]
                    if name in self.gated_sources:
                        before = counts[name][1] if name in counts else torch.zeros_like(out[name])
                        counts[name] = (before, before + out[name])
                record[name].append(record_spikes)
            past.append(out)  # a deque of length 0 keeps nothing
        return {name: torch.stack(steps) for name, steps in record.items()}


def to_snntorch(graph: ir.Graph, *, latency_model: LatencyModel = "same-step", dt: float = 1e-3,
                plain: bool = False) -> SnnTorchNetwork:
    """An ``nn.Module`` of torch layers and snntorch neurons equal to the engine on ``graph``.

    ``plain=True`` uses the same neuron written in plain torch instead of
    snntorch's (for speed comparisons against both).

    Supports IF and LIF populations (``r = 1``, no leak target, reset by
    subtraction or to zero) and graded (sigma-delta, product) populations behind
    Dense, Conv1d/2d, AvgPool1d/2d, Flatten, Scale and Sparse maps (one delay per
    map) and spiking max-pool gates (MaxPool1d/2d, on a binary population's events),
    with the same-step latency model. Anything else is refused with a
    :class:`~converters.errors.ConversionError` naming it.
    """
    if latency_model != "same-step":
        raise ConversionError("the snntorch export runs layers in order within a step: latency_model must be "
                              "'same-step'")
    for projection in plan(graph, latency_model).projections:
        gated = [link for link in projection.chain if isinstance(graph.nodes[link], ir.GATE_TYPES)]
        if gated and (projection.min_delay(graph) or not isinstance(graph.nodes[projection.source], ir.IF | ir.LIF)):
            raise ConversionError(f"max-pool gate {gated[0]!r} follows {projection.source!r} with a delay or "
                                  "behind a population that is not IF or LIF; the snntorch export gates the "
                                  "same step's spikes of a binary population only")
    return SnnTorchNetwork(graph, dt, plain)


# --------------------------------------------------------------------------- import


def _leaky_node(path: str, module: snn.Leaky, shape, dt: float):
    beta = np.broadcast_to(module.beta.detach().double().clamp(0, 1).numpy(), shape).copy()
    threshold = np.broadcast_to(module.threshold.detach().double().numpy(), shape).copy()
    mechanism = module.reset_mechanism
    if mechanism not in ("subtract", "zero"):
        raise UnsupportedLayer(path, f"Leaky(reset_mechanism={mechanism!r})",
                               "use reset_mechanism='subtract' or 'zero'")
    delayed_subtract = mechanism == "subtract" and module.reset_delay and not isinstance(module, SameStepLeaky)
    if delayed_subtract and np.any(beta != 1.0):
        raise UnsupportedLayer(path, "Leaky(reset_mechanism='subtract', reset_delay=True, beta < 1)",
                               "the engine subtracts the threshold before the decay; train with "
                               "reset_delay=False, reset_mechanism='zero', or beta=1")
    if np.any(beta <= 0.0):
        raise UnsupportedLayer(path, "Leaky(beta=0)", "use beta > 0")
    reset = "subtract" if mechanism == "subtract" else "value"
    if np.all(beta == 1.0):
        return ir.IF(v_threshold=threshold, reset=reset)
    return ir.LIF(tau=tau_for_decay(beta, dt), v_threshold=threshold, reset=reset)


def from_snntorch(module: nn.Sequential, input_shape: tuple[int, ...], *, dt: float = 1e-3) -> ir.Graph:
    """Read an ``nn.Sequential`` of torch layers and snntorch ``Leaky`` neurons into the IR.

    Parameters
    ----------
    module
        Layers among Linear, Conv1d, Conv2d, AvgPool1d/2d, Flatten, and
        ``snn.Leaky`` neurons (each weight layer must be followed by a neuron
        before the next weight layer).
    input_shape
        One sample's input shape, without the batch dimension.
    dt
        Step length of the resulting graph; a Leaky's ``beta`` becomes
        ``tau = -dt / ln(beta)`` so that ``compile_network(graph, dt=dt)`` decays by ``beta``.
    """
    if not isinstance(module, nn.Sequential):
        raise ConversionError(f"from_snntorch reads an nn.Sequential, got {type(module).__name__}")
    nodes: dict[str, object] = {"input": ir.Input(tuple(int(s) for s in input_shape))}
    edges: list[tuple[str, str]] = []
    previous = "input"
    shape = nodes["input"].shape
    for index, layer in enumerate(module):
        path = str(index)
        name = f"layer{index}"
        match layer:
            case snn.Leaky():
                node = _leaky_node(path, layer, shape, dt)
            case nn.Linear():
                node = ir.Dense(layer.weight.detach().double().numpy(),
                                None if layer.bias is None else layer.bias.detach().double().numpy())
            case nn.Conv1d() | nn.Conv2d():
                if layer.padding_mode != "zeros" or isinstance(layer.padding, str):
                    raise UnsupportedLayer(path, type(layer).__name__, "use numeric zero padding")
                kind = ir.Conv1d if isinstance(layer, nn.Conv1d) else ir.Conv2d
                node = kind(layer.weight.detach().double().numpy(),
                            None if layer.bias is None else layer.bias.detach().double().numpy(),
                            stride=layer.stride, padding=layer.padding, dilation=layer.dilation,
                            groups=layer.groups)
            case nn.AvgPool1d() | nn.AvgPool2d():
                kind = ir.AvgPool1d if isinstance(layer, nn.AvgPool1d) else ir.AvgPool2d
                if layer.ceil_mode or not layer.count_include_pad:
                    raise UnsupportedLayer(path, type(layer).__name__, "use ceil_mode=False, count_include_pad=True")
                node = kind(layer.kernel_size, stride=layer.stride, padding=layer.padding)
            case nn.Flatten():
                node = ir.Flatten()
            case _:
                raise UnsupportedLayer(path, type(layer).__name__,
                                       "from_snntorch reads Linear, Conv1d/2d, AvgPool1d/2d, Flatten and snn.Leaky")
        nodes[name] = node
        edges.append((previous, name))
        try:
            shape = ir.Graph(nodes=nodes, edges=tuple(edges)).shapes[name]
        except ValueError as error:
            raise ConversionError(f"layer {path} ({type(layer).__name__}): {error}") from None
        previous = name
    if not isinstance(nodes[previous], ir.IF | ir.LIF):
        raise ConversionError("the last layer must be an snn.Leaky (the readout population)")
    return ir.Graph(nodes=nodes, edges=tuple(edges), metadata={"source": "snntorch", "dt": dt})
