"""Trained PyTorch CNNs to spiking graphs, in four visible stages.

1. :func:`trace` -- ``torch.fx`` symbolic trace: modules and functional calls
   (``F.relu``, ``torch.flatten``, ``x + y``) become one list of operations.
2. :func:`fold_batchnorm` -- every BatchNorm that follows a Conv/Linear is folded
   into its weights (exact in eval mode).
3. :func:`calibrate` and :func:`activation_scale` -- the calibration batch runs
   through the folded model; the chosen percentile of each ReLU's non-zero
   activations (per layer or per channel) becomes that population's threshold
   (data-based normalisation, Rueckauer et al. 2017).
4. :func:`lower` -- each operation is lowered by a small rule from
   :mod:`converters.rules` into IR nodes.

A hidden ReLU becomes an IF population (reset by subtraction) whose threshold is
its activation scale; the weights leaving it are multiplied by that scale, so a
rate of one event per step stands for the scale. The output layer becomes an IF
population read out by its membrane (integrated input, i.e. the logits).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import fx, nn
from torch.nn.utils.fusion import fuse_conv_bn_eval, fuse_linear_bn_eval

from converters.config import ConversionConfig
from converters.determinism import one_thread
from converters.errors import ConversionError, UnsupportedLayer
from converters.lstm.graded import PWLLSTM
from converters.quantised import QuantisedReLU
from converters.rules import Builder, Constant, advice, lower_node
from neuro import ir

__all__ = ["from_torch", "trace", "fold_batchnorm", "calibrate", "activation_scale", "lower"]


class _Tracer(fx.Tracer):
    """torch.fx's tracer, with our quantised activation kept whole (a leaf) for its conversion rule."""

    def is_leaf_module(self, module: nn.Module, qualified_name: str) -> bool:
        return isinstance(module, QuantisedReLU) or super().is_leaf_module(module, qualified_name)


def trace(model: nn.Module) -> fx.GraphModule:
    """Stage 1: symbolic trace (the model is put in eval mode first)."""
    model = model.eval()
    try:
        return fx.GraphModule(model, _Tracer().trace(model), type(model).__name__)
    except Exception as error:  # fx raises many kinds; all mean "not traceable"
        raise ConversionError(
            f"torch.fx cannot trace {type(model).__name__}: {error}. Data-dependent control flow in "
            "forward() is not traceable; write forward() as a fixed sequence of layers."
        ) from error


_BN_TYPES = (nn.BatchNorm1d, nn.BatchNorm2d)


def fold_batchnorm(graph_module: fx.GraphModule) -> tuple[fx.GraphModule, list[str]]:
    """Stage 2: fold each BatchNorm into the Conv/Linear before it; returns the folded paths."""
    modules = dict(graph_module.named_modules())
    folded = []
    for node in list(graph_module.graph.nodes):
        if node.op != "call_module" or not isinstance(modules[node.target], _BN_TYPES):
            continue
        source = node.args[0]
        if not (isinstance(source, fx.Node) and source.op == "call_module" and len(source.users) == 1):
            continue  # left for lower(), which explains what to do
        layer, norm = modules[source.target], modules[node.target]
        if isinstance(layer, nn.Conv1d | nn.Conv2d):
            fused = fuse_conv_bn_eval(layer.eval(), norm.eval())
        elif isinstance(layer, nn.Linear):
            fused = fuse_linear_bn_eval(layer.eval(), norm.eval())
        else:
            continue
        _replace_submodule(graph_module, source.target, fused)
        node.replace_all_uses_with(source)
        graph_module.graph.erase_node(node)
        folded.append(node.target)
    graph_module.graph.lint()
    graph_module.recompile()
    return graph_module, folded


def _replace_submodule(root: nn.Module, path: str, module: nn.Module) -> None:
    parent_path, _, name = path.rpartition(".")
    parent = root.get_submodule(parent_path) if parent_path else root
    setattr(parent, name, module)


class _Recorder(fx.Interpreter):
    def __init__(self, module):
        super().__init__(module)
        self.values: dict[str, object] = {}
        self.failed: fx.Node | None = None

    def run_node(self, n):
        try:
            out = super().run_node(n)
        except RuntimeError:
            self.failed = n  # where the data stopped fitting the model
            raise
        # copy: an in-place ReLU later would otherwise rewrite what was recorded
        self.values[n.name] = out.detach().clone() if isinstance(out, torch.Tensor) else out
        return out


def calibrate(graph_module: fx.GraphModule, calibration: torch.Tensor) -> dict[str, object]:
    """Stage 3a: every traced node's output on the calibration batch.

    Raises
    ------
    ValueError
        When the model cannot run on the batch (its sample shape does not fit the model),
        naming the batch's sample shape and the layer that refused it.
    """
    recorder = _Recorder(graph_module)
    try:
        with torch.no_grad(), one_thread():  # thresholds that do not depend on the machine's thread count
            recorder.run(calibration)
    except RuntimeError as error:
        where = _described(recorder.failed, dict(graph_module.named_modules()))
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ValueError(f"calibration data shape {tuple(calibration.shape[1:])} does not match the model's input: "
                         f"{where} fails on it ({reason}); give samples shaped as the model was trained on") from None
    return recorder.values


_TAKES = {nn.Conv1d: "({in_channels}, length)", nn.Conv2d: "({in_channels}, height, width)",
          nn.Linear: "({in_features},)"}  # the sample shape a weight layer takes, from its attributes


def _described(node: fx.Node | None, modules: dict) -> str:
    """A traced node as a user knows it: a module's path and type, with the sample shape a weight layer takes."""
    if node is None:
        return "the forward pass"
    if node.op != "call_module":
        return f"'{node.name}'"
    module = modules[node.target]
    takes = _TAKES.get(type(module))
    shape = "" if takes is None else ", which takes " + takes.format(**vars(module))
    return f"'{node.target}' ({type(module).__name__}{shape})"


def _check_calibration(calibration: torch.Tensor) -> None:
    if calibration.ndim < 2 or calibration.shape[0] < 1:
        raise ValueError(f"calibration must be a batch (batch, *input_shape), got shape {tuple(calibration.shape)}")
    finite = torch.isfinite(calibration)
    if not finite.all():
        raise ValueError(f"calibration data holds {int((~finite).sum())} NaN or infinite values (of "
                         f"{finite.numel()}); thresholds come from it, so give finite samples")


def activation_scale(activation: np.ndarray, config: ConversionConfig) -> np.ndarray:
    """Stage 3b: threshold per element from ReLU activations ``(batch, *shape)``.

    The ``config.percentile`` of the non-zero activations, over the whole layer
    or per channel (axis 1); a layer or channel that never fires gets 1.
    """
    activation = np.maximum(np.asarray(activation, dtype=np.float64), 0.0)
    shape = activation.shape[1:]

    def scale_of(values):
        positive = values[values > 0]
        return float(np.percentile(positive, config.percentile)) if positive.size else 1.0

    if config.normalisation == "layer":
        return np.full(shape, scale_of(activation))
    per_channel = np.array([scale_of(activation[:, c]) for c in range(shape[0])])
    return np.broadcast_to(per_channel.reshape(-1, *([1] * (len(shape) - 1))), shape).copy()


def lower(graph_module: fx.GraphModule, activations: dict[str, object], config: ConversionConfig,
          folded: list[str] = ()) -> ir.Graph:
    """Stage 4: apply the conversion rules to every traced operation."""
    builder = Builder(config, activations, lambda a: activation_scale(a, config))
    modules = dict(graph_module.named_modules())
    env: dict[str, object] = {}
    output = None
    for node in graph_module.graph.nodes:
        if node.op == "output":
            output = _resolve(node.args[0], env)
            continue
        recorded = activations.get(node.name)
        if node.op in ("call_function", "call_method") and not isinstance(recorded, torch.Tensor):
            env[node.name] = Constant(recorded)  # sizes, shapes: plain values, no network
            continue
        env[node.name] = lower_node(builder, node, modules, _resolve(node.args, env),
                                    _resolve(node.kwargs, env))
    if isinstance(output, tuple | list):
        raise ConversionError("the model returns several outputs; convert a model with one output tensor")
    output_activation = activations[_output_name(graph_module)]
    return builder.finish(output, np.asarray(output_activation, dtype=np.float64), folded)


def _output_name(graph_module) -> str:
    (out,) = [n for n in graph_module.graph.nodes if n.op == "output"]
    return out.args[0].name


def _resolve(value, env):
    if isinstance(value, fx.Node):
        return env[value.name]
    if isinstance(value, tuple | list):
        return type(value)(_resolve(v, env) for v in value)
    if isinstance(value, dict):
        return {k: _resolve(v, env) for k, v in value.items()}
    return value


def from_torch(model: nn.Module, calibration, config: ConversionConfig | None = None) -> ir.Graph:
    """Convert a trained CNN into an IR graph (analog input, IF neurons, membrane readout).

    Parameters
    ----------
    model
        A ``torch.nn.Module`` taking one batch tensor ``(batch, *input_shape)``.
    calibration
        A batch of typical inputs (array or tensor); sets the thresholds.
    config
        :class:`ConversionConfig`; defaults: 99.9th percentile, per layer,
        reset by subtraction, membranes starting at half threshold.

    Raises
    ------
    UnsupportedLayer
        For a module or function without a rule, naming its path and what to use instead.
    ValueError
        For calibration data that is not a finite batch, or whose samples the model cannot take.
    """
    config = ConversionConfig() if config is None else config
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    calibration = torch.as_tensor(np.asarray(calibration), dtype=torch.float32)
    _check_calibration(calibration)
    for path, module in model.named_modules():
        if isinstance(module, nn.LSTM | nn.GRU | nn.RNN | PWLLSTM):
            raise UnsupportedLayer(path or type(model).__name__, type(module).__name__, advice("LSTM"))
    graph_module = trace(model)
    graph_module, folded = fold_batchnorm(graph_module)
    activations = calibrate(graph_module, calibration)
    graph = lower(graph_module, activations, config, folded)
    return ir.Graph(nodes=graph.nodes, edges=graph.edges,
                    metadata={**graph.metadata, "source_model": type(model).__name__})

