"""NIR (the Neuromorphic Intermediate Representation) <-> IR.

NIR describes neurons by continuous-time equations; the tools that read it
(snntorch, Norse, Lava, ...) step them with forward Euler at their own ``dt``.
This module uses that convention both ways, with ``nir_dt`` the NIR-side step
(snntorch's exporter and importer use 1e-4 s):

* LIF ``tau dv/dt = (v_leak - v) + R I`` steps as ``v <- (1 - nir_dt/tau) v +
  (nir_dt/tau) (v_leak + R I)``; the engine's LIF decays by ``exp(-dt/tau)`` per step of
  ``dt`` (``neuro.discrete.ENGINE_DT``), so the time constant is converted to give the
  same per-step decay, and ``R`` to give the same per-step input gain ``r``;
* IF ``dv/dt = R I`` steps as ``v <- v + nir_dt R I``: gain ``r = nir_dt R``;
* CubaLIF: the synaptic current likewise (``w_in`` carries the gain ``nir_dt/tau_syn``).

NIR neurons reset *to* ``v_reset`` and fire on ``v > v_threshold``. The engine also
resets *by subtraction* and may start from a non-zero membrane (half-threshold
initialisation); NIR has neither. :func:`to_nir` refuses such populations unless
``extensions=True``, which records them in the node's ``metadata`` (``"neuro_reset":
"subtract"``, ``"neuro_v_initial"``): :func:`from_nir` honours them, other tools
will not. The same holds for the readout: a NIR ``Output`` passes spikes, which
other tools count, while a converted CNN is read by its output membrane (the graph
metadata's ``conversion["readout"]``); the extensions record it in the graph's
metadata (``"neuro_readout"``), and :func:`from_nir` restores it. The engine fires
at equality (``>=``): identical except on exact ties.

Nodes are mapped one to one, by name. Exported nodes also carry the engine's own
parameter values in ``metadata["neuro"]``; :func:`from_nir` uses them when they
agree with the NIR values (so a round trip is exact despite the unit conversion),
and the NIR values when a tool has changed them.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import nir
import numpy as np

from converters.errors import ConversionError
from neuro import ir
from neuro.discrete import ENGINE_DT, step_constants, tau_for_decay
from neuro.io import write_atomic
from neuro.limits import check_allocation

__all__ = ["to_nir", "from_nir", "read_nir", "write_nir", "check_nir_dt", "SNNTORCH_NIR_DT"]

SNNTORCH_NIR_DT = 1e-4  # the step snntorch's NIR exporter and importer assume


def check_nir_dt(value, *, name: str = "nir_dt") -> float:
    """``value`` as a step in seconds; refused unless positive and finite.

    The step scales every gain (``r = nir_dt R``): at 0 no input ever reaches a
    neuron and the network guesses (accuracy 0.10 on digits), a negative or
    non-finite step gives negative or NaN gains. ``name`` is what the error calls it
    (``--nir-dt`` on the command line).
    """
    try:
        step = float(value)
    except (TypeError, ValueError):
        step = math.nan
    if not (math.isfinite(step) and step > 0):
        shown = repr(value) if isinstance(value, str) else value
        raise ConversionError(f"{name} must be a positive, finite number of seconds, got {shown}")
    return step


def _euler_tau(decay: np.ndarray, nir_dt: float) -> np.ndarray:
    """NIR time constant whose Euler step at ``nir_dt`` decays by ``decay``."""
    with np.errstate(divide="ignore"):
        return nir_dt / (1.0 - decay)


def _engine_tau(nir_tau: np.ndarray, nir_dt: float) -> np.ndarray:
    """Engine time constant (at ENGINE_DT) with the per-step decay ``1 - nir_dt / nir_tau``."""
    decay = 1.0 - nir_dt / np.asarray(nir_tau, np.float64)
    if np.any(decay <= 0.0) or np.any(decay >= 1.0):
        raise ConversionError(f"NIR time constants must exceed the step nir_dt={nir_dt} s; got tau in "
                              f"[{np.min(nir_tau)}, {np.max(nir_tau)}]")
    return tau_for_decay(decay, ENGINE_DT)


# --------------------------------------------------------------------------- export


def _population_to_nir(name: str, node, nir_dt: float, extensions: bool, biased: bool):
    if isinstance(node, ir.GRADED_TYPES):
        raise ConversionError(f"{type(node).__name__} population {name!r} sends graded events; NIR has no "
                              "such neuron")
    if getattr(node, "signed", False):
        raise ConversionError(f"population {name!r} has signed neurons (negative spikes); NIR has no such "
                              "neuron (convert without --signed-neurons)")
    constants = step_constants(node, ENGINE_DT)  # the engine's per-step decays, which the Euler step must match
    metadata: dict[str, object] = {}
    needs = []
    if node.reset == "subtract":
        needs.append("reset by subtraction")
        metadata["neuro_reset"] = "subtract"
    if np.any(node.v_initial != 0.0):
        needs.append("a non-zero initial membrane")
        metadata["neuro_v_initial"] = np.asarray(node.v_initial)
    if needs and not extensions:
        raise ConversionError(
            f"population {name!r} uses {' and '.join(needs)}, which NIR cannot express (NIR neurons start at 0 "
            "and reset to v_reset); other tools would run it differently. Export with extensions=True "
            "(CLI: --nir-extensions) to record it in the node's metadata, which neuro reads back")
    v_reset = np.asarray(node.v_reset)  # unused by a subtracting population, kept for the round trip
    match node:
        case ir.IF():
            nir_node = nir.IF(r=np.asarray(node.r) / nir_dt, v_threshold=np.asarray(node.v_threshold),
                              v_reset=v_reset, metadata=metadata)
        case ir.LIF():
            tau = _euler_tau(constants.a_mem, nir_dt)
            nir_node = nir.LIF(tau=tau, r=np.asarray(node.r) * tau / nir_dt, v_leak=np.asarray(node.v_leak),
                               v_threshold=np.asarray(node.v_threshold), v_reset=v_reset, metadata=metadata)
        case ir.CubaLIF():
            if biased:
                raise ConversionError(f"CubaLIF population {name!r} receives a bias, which the engine adds to the "
                                      "membrane but NIR would pass through the synaptic current")
            tau_mem = _euler_tau(constants.a_mem, nir_dt)
            tau_syn = _euler_tau(constants.a_syn, nir_dt)
            nir_node = nir.CubaLIF(tau_syn=tau_syn, tau_mem=tau_mem, r=np.asarray(node.r) * tau_mem / nir_dt,
                                   v_leak=np.asarray(node.v_leak), v_threshold=np.asarray(node.v_threshold),
                                   v_reset=v_reset, w_in=np.asarray(node.w_in) * tau_syn / nir_dt,
                                   metadata=metadata)
    return nir_node


def _linear_to_nir(name: str, node, in_shape):
    match node:
        case ir.Dense():
            if node.bias is None:
                return nir.Linear(weight=np.asarray(node.weight))
            return nir.Affine(weight=np.asarray(node.weight), bias=np.asarray(node.bias))
        case ir.Sparse():
            if node.delay.any():
                raise ConversionError(f"Sparse {name!r} has synaptic delays, which NIR's Linear cannot hold")
            dense = np.zeros((node.n_out, node.n_in))
            np.add.at(dense, (node.post, node.pre), node.weight)
            return nir.Linear(weight=dense)
        case ir.Conv1d():
            bias = np.zeros(node.weight.shape[0]) if node.bias is None else np.asarray(node.bias)
            return nir.Conv1d(input_shape=in_shape[1], weight=np.asarray(node.weight), stride=node.stride[0],
                              padding=node.padding[0], dilation=node.dilation[0], groups=node.groups, bias=bias)
        case ir.Conv2d():
            bias = np.zeros(node.weight.shape[0]) if node.bias is None else np.asarray(node.bias)
            return nir.Conv2d(input_shape=tuple(in_shape[1:]), weight=np.asarray(node.weight), stride=node.stride,
                              padding=node.padding, dilation=node.dilation, groups=node.groups, bias=bias)
        case ir.AvgPool1d():
            raise ConversionError(f"AvgPool1d {name!r}: NIR has no 1-D pooling node")
        case ir.AvgPool2d():
            kernel, stride, padding = node.geometry_2d
            return nir.AvgPool2d(kernel_size=np.array(kernel), stride=np.array(stride), padding=np.array(padding))
        case ir.Flatten():
            return nir.Flatten(input_type={"input": np.array(in_shape)}, start_dim=0, end_dim=-1)
        case ir.Scale():
            return nir.Scale(scale=np.asarray(node.scale))
    raise ConversionError(f"{type(node).__name__} {name!r} has no NIR form (a spiking max-pool gate counts spikes "
                          "over time); convert with average pooling to export to NIR")


def to_nir(graph: ir.Graph, *, nir_dt: float = SNNTORCH_NIR_DT, extensions: bool = False) -> nir.NIRGraph:
    """The graph as a NIR graph (one node per IR node, plus an ``Output`` after the readout).

    Parameters
    ----------
    nir_dt
        The step at which a NIR reader will run the neurons (see the module notes).
    extensions
        Record reset by subtraction and initial membranes in node metadata, and a
        readout other than the spike count in the graph's metadata, instead of
        refusing the export.
    """
    nir_dt = check_nir_dt(nir_dt)
    shapes = graph.shapes
    biased = set()
    for source, target in graph.edges:
        if getattr(graph.nodes[source], "bias", None) is not None:
            biased.add(target)
    nodes: dict[str, nir.NIRNode] = {}
    for name, node in graph.nodes.items():
        if isinstance(node, ir.Input):
            nir_node = nir.Input(input_type=np.array(node.shape))
        elif isinstance(node, ir.NEURON_TYPES):
            nir_node = _population_to_nir(name, node, nir_dt, extensions, name in biased)
        else:
            (source,) = graph.predecessors(name)
            nir_node = _linear_to_nir(name, node, shapes[source])
        nir_node.metadata["neuro"] = {key: value for key, value in ir.node_fields(node).items()
                                      if isinstance(value, np.ndarray)}
        nodes[name] = nir_node
    output = "output" if "output" not in nodes else "neuro_output"
    nodes[output] = nir.Output(output_type=np.array(shapes[graph.output]))
    # NIR 1.0's own shape inference takes a Conv2d's kernel as square (weight.shape[2] for both
    # sides), which breaks non-square kernels; the IR has already checked every shape.
    metadata = {"neuro_nir_dt": nir_dt, **_readout_to_nir(graph, extensions)}
    return nir.NIRGraph(nodes=nodes, edges=[*graph.edges, (graph.output, output)], metadata=metadata,
                        type_check=False)


def _readout_to_nir(graph: ir.Graph, extensions: bool) -> dict[str, str]:
    """The graph's readout as NIR graph metadata: nothing for the spike count, which NIR's Output means."""
    readout = graph.metadata.get("conversion", {}).get("readout", "count")
    if readout == "count":
        return {}
    if not extensions:
        raise ConversionError(
            f"the network is read by its output population's {readout}, which NIR cannot express (an Output "
            "passes spikes, which other tools count). Export with extensions=True (CLI: --nir-extensions) to "
            "record it in the graph's metadata, which neuro reads back")
    return {"neuro_readout": readout}


# --------------------------------------------------------------------------- import


def _exact(node: nir.NIRNode, key: str, derived: np.ndarray) -> np.ndarray:
    """Our exported value when it agrees with the NIR value (undoing unit-conversion rounding)."""
    ours = node.metadata.get("neuro", {}).get(key) if isinstance(node.metadata.get("neuro"), dict) else None
    if ours is not None and np.shape(ours) == np.shape(derived) and np.allclose(ours, derived, rtol=1e-9, atol=0):
        return np.asarray(ours, np.float64)
    return np.asarray(derived, np.float64)


def _population_from_nir(name: str, node, nir_dt: float):
    metadata = node.metadata
    reset = "subtract" if metadata.get("neuro_reset") == "subtract" else "value"
    v_threshold = np.asarray(node.v_threshold, np.float64)
    v_initial = np.asarray(metadata.get("neuro_v_initial", np.zeros(v_threshold.shape)), np.float64)
    v_reset = np.asarray(node.v_reset if node.v_reset is not None else np.zeros(v_threshold.shape), np.float64)
    common = {"v_threshold": _exact(node, "v_threshold", v_threshold), "v_initial": v_initial, "reset": reset,
              "v_reset": v_reset}
    match node:
        case nir.IF():
            return ir.IF(r=_exact(node, "r", np.asarray(node.r, np.float64) * nir_dt), **common)
        case nir.LIF():
            tau = np.asarray(node.tau, np.float64)
            return ir.LIF(tau=_exact(node, "tau", _engine_tau(tau, nir_dt)),
                          r=_exact(node, "r", np.asarray(node.r, np.float64) * nir_dt / tau),
                          v_leak=_exact(node, "v_leak", np.asarray(node.v_leak, np.float64)), **common)
        case nir.CubaLIF():
            tau_mem, tau_syn = np.asarray(node.tau_mem, np.float64), np.asarray(node.tau_syn, np.float64)
            return ir.CubaLIF(tau_syn=_exact(node, "tau_syn", _engine_tau(tau_syn, nir_dt)),
                              tau_mem=_exact(node, "tau_mem", _engine_tau(tau_mem, nir_dt)),
                              r=_exact(node, "r", np.asarray(node.r, np.float64) * nir_dt / tau_mem),
                              w_in=_exact(node, "w_in", np.asarray(node.w_in, np.float64) * nir_dt / tau_syn),
                              v_leak=_exact(node, "v_leak", np.asarray(node.v_leak, np.float64)), **common)
    raise ConversionError(f"NIR node {name!r} is a {type(node).__name__}, which has no neuro form")


def _linear_from_nir(name: str, node):
    match node:
        case nir.Affine():
            return ir.Dense(np.asarray(node.weight, np.float64), np.asarray(node.bias, np.float64))
        case nir.Linear():
            return ir.Dense(np.asarray(node.weight, np.float64))
        case nir.Conv1d() | nir.Conv2d():
            if isinstance(node.padding, str):
                raise ConversionError(f"NIR {type(node).__name__} {name!r} has padding {node.padding!r}; "
                                      "numeric padding is needed")
            kind = ir.Conv1d if isinstance(node, nir.Conv1d) else ir.Conv2d
            bias = np.asarray(node.bias, np.float64)
            return kind(np.asarray(node.weight, np.float64), None if not bias.any() else bias,
                        stride=_ints(node.stride), padding=_ints(node.padding), dilation=_ints(node.dilation),
                        groups=int(node.groups))
        case nir.AvgPool2d():
            return ir.AvgPool2d(_ints(node.kernel_size), stride=_ints(node.stride), padding=_ints(node.padding))
        case nir.Flatten():
            if node.end_dim != -1 or node.start_dim not in (0, 1):
                raise ConversionError(f"NIR Flatten {name!r} flattens dims {node.start_dim}..{node.end_dim}; "
                                      "neuro flattens the whole sample")
            return ir.Flatten()
        case nir.Scale():
            return ir.Scale(np.asarray(node.scale, np.float64))
    raise ConversionError(f"NIR node {name!r} is a {type(node).__name__}, which has no neuro form "
                          "(supported: Input, Output, Affine, Linear, Conv1d, Conv2d, AvgPool2d, Flatten, Scale, "
                          "IF, LIF, CubaLIF)")


def _ints(value):
    values = tuple(int(v) for v in np.atleast_1d(value))
    return values[0] if len(values) == 1 else values


def from_nir(graph: nir.NIRGraph, *, nir_dt: float | None = None) -> ir.Graph:
    """A NIR graph as an IR graph, to run at the engine's step ``ENGINE_DT``.

    ``nir_dt`` is the step the NIR graph's author assumed: by default the one
    :func:`to_nir` recorded, else snntorch's 1e-4 s. Output nodes are dropped
    (the population feeding one becomes the readout); nested graphs (e.g.
    snntorch's recurrent subgraphs) are refused.
    """
    if not isinstance(graph, nir.NIRGraph):
        raise ConversionError(f"from_nir expects a nir.NIRGraph, got {type(graph).__name__}")
    if nir_dt is None:
        nir_dt = check_nir_dt(graph.metadata.get("neuro_nir_dt", SNNTORCH_NIR_DT),
                              name="the NIR graph's recorded step (metadata neuro_nir_dt)")
    else:
        nir_dt = check_nir_dt(nir_dt)
    nodes: dict[str, object] = {}
    outputs = {name for name, node in graph.nodes.items() if isinstance(node, nir.Output)}
    for name, node in graph.nodes.items():
        if name in outputs:
            continue
        if "/" in name or not name:
            raise ConversionError(f"NIR node name {name!r} cannot be a neuro node name (no '/', not empty)")
        if isinstance(node, nir.NIRGraph):
            raise ConversionError(f"NIR node {name!r} is a nested graph (e.g. a recurrent layer); flatten it first")
        if isinstance(node, nir.Input):
            nodes[name] = ir.Input(tuple(int(s) for s in np.atleast_1d(node.input_type["input"])))
        elif isinstance(node, nir.IF | nir.LIF | nir.CubaLIF):
            nodes[name] = _population_from_nir(name, node, nir_dt)
        else:
            nodes[name] = _linear_from_nir(name, node)
    edges = [(a, b) for a, b in graph.edges if b not in outputs]
    readouts = [a for a, b in graph.edges if b in outputs]
    metadata: dict[str, object] = {"source": "nir", "nir_dt": nir_dt}
    if len(readouts) == 1:
        metadata["output"] = readouts[0]
    if "neuro_readout" in graph.metadata:  # recorded by to_nir's extensions; the spike count otherwise
        metadata["conversion"] = {"readout": str(graph.metadata["neuro_readout"])}
    try:
        return ir.Graph(nodes=nodes, edges=tuple(edges), metadata=metadata)
    except ValueError as error:
        raise ConversionError(f"the NIR graph does not form a valid network: {error}") from None


def write_nir(graph: nir.NIRGraph, path) -> None:
    """Write a NIR graph file atomically (nir writes to memory, then temporary file and rename)."""
    buffer = io.BytesIO()
    nir.write(buffer, graph)
    write_atomic(path, buffer.getvalue())


def _check_unpacked_size(path: Path) -> None:
    """Refuse a NIR (HDF5) file whose datasets would unpack beyond the memory limit, before reading any."""
    import h5py

    total = 0

    def add(_, item):
        nonlocal total
        if isinstance(item, h5py.Dataset):
            total += int(item.size) * item.dtype.itemsize

    try:
        with h5py.File(path, "r") as stream:
            stream.visititems(add)
    except Exception as error:  # h5py raises many kinds for a file that is not HDF5
        raise ConversionError(f"{path}: not a readable NIR file ({type(error).__name__}: {error})") from None
    try:
        check_allocation(f"the datasets of {path.name}", total, "this is not a network this machine can read")
    except ValueError as error:
        raise ConversionError(f"{path}: {error}") from None


def read_nir(path) -> nir.NIRGraph:
    """Read a NIR file; a missing, damaged or foreign file raises ConversionError naming it."""
    path = Path(path)
    if not path.is_file():
        raise ConversionError(f"{path}: no such NIR file")
    _check_unpacked_size(path)
    try:
        return nir.read(path, type_check=False)  # shapes are checked by the IR (see to_nir)
    except Exception as error:  # h5py and nir raise many kinds; all mean "not a readable NIR file"
        raise ConversionError(f"{path}: not a readable NIR file ({type(error).__name__}: {error})") from None
