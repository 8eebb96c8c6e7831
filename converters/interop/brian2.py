"""Export a graph to Brian2, with the engine's discrete-time semantics.

Brian2 integrates differential equations; our neurons are already discrete
(``neuro.engine``). So each population becomes a ``NeuronGroup`` without
differential equations whose per-step update is written out as code, with the
constants of :func:`neuro.discrete.step_constants`::

    cur = a_syn * cur + w_in * arriving
    v = a_mem * v + leak + r * (cur + bias)
    arriving = 0

then ``v >= v_threshold`` fires, and the reset subtracts the threshold or sets
``v_reset``. Every projection becomes ``Synapses`` with the weights multiplied
out over its chain (:func:`neuro.structure.projection_weights`): Brian2 has no
shared convolution kernels, so a convolution is expanded into explicit synapses.

Same-step delivery needs an order inside the step that Brian2's default schedule
(all groups, then all thresholds, then all synapses) does not give. Everything
runs in the ``groups`` slot, source by source in the compiled run order: the
update, the threshold, then the source's delay-0 pathways. A projection with
delay ``d >= 1`` is read at the start of the step from the previous step's spikes
with a Brian2 delay of ``(d - 1) * dt``, so it arrives ``d`` steps after the spike,
before its target updates.

Inputs are groups whose value ``x`` comes from a ``TimedArray`` of the drive;
an element with ``x != 0`` emits an event of payload ``x``. Max-pool gates and
graded (sigma-delta, product) populations have no Brian2 form here and are
refused. With ``device="cpp_standalone"`` the code is compiled once, without
``-ffast-math`` so that the arithmetic is IEEE like ours, and every sample runs
the same binary with its drive passed as a run argument.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field

import numpy as np

from converters.errors import ConversionError
from neuro import ir
from neuro.discrete import step_constants
from neuro.plan import LatencyModel, plan
from neuro.structure import projection_bias, projection_weights

__all__ = ["to_brian2", "run_brian2", "check_exportable", "Brian2Model", "BRIAN2_DEVICES"]

BRIAN2_DEVICES = ("runtime", "cpp_standalone")
# IEEE arithmetic, no fused multiply-add: the standalone binary must compute what the engine does
_EXACT_CPP_FLAGS = ["-w", "-O2", "-fno-fast-math", "-ffp-contract=off", "-std=c++17"]

_POPULATION_MODEL = """
v : 1
cur : 1
arriving : 1
bias : 1 (constant)
a_syn : 1 (constant)
w_in : 1 (constant)
a_mem : 1 (constant)
leak : 1 (constant)
r : 1 (constant)
v_threshold : 1 (constant)
v_reset : 1 (constant)
"""
_POPULATION_UPDATE = """
cur = a_syn * cur + w_in * arriving
v = a_mem * v + leak + r * (cur + bias)
arriving = 0
"""
_RESETS = {"subtract": "v = v - v_threshold", "value": "v = v_reset"}


@dataclass
class Brian2Model:
    """The Brian2 objects of an exported graph (built under the device active at export)."""

    network: object  # brian2.Network
    groups: dict[str, object]  # every input and population, by graph name
    monitors: dict[str, object]  # SpikeMonitor per population
    drive: object | None  # brian2.TimedArray feeding every input (columns in graph.inputs order)
    timesteps: int
    dt: float
    synapses: list[object] = field(default_factory=list)


def check_exportable(graph: ir.Graph) -> None:
    """Raise ConversionError naming the first node that has no Brian2 form here."""
    for name, node in graph.nodes.items():
        if isinstance(node, ir.GRADED_TYPES):
            raise ConversionError(
                f"{type(node).__name__} population {name!r} sends graded events, which the Brian2 export does "
                "not model; export a binary-spike network (a CNN, or an LSTM converted with --lstm binary or "
                "--lstm rate)")
        if getattr(node, "signed", False):
            raise ConversionError(f"population {name!r} has signed neurons (negative spikes), which the Brian2 "
                                  "export does not model; convert without --signed-neurons")
        if isinstance(node, ir.GATE_TYPES):
            raise ConversionError(
                f"{type(node).__name__} {name!r} is a spiking max-pool gate, which the Brian2 export does not "
                "model; convert with average pooling to export to Brian2")


def _drive_table(graph: ir.Graph, drive: np.ndarray) -> np.ndarray:
    """One sample's drive ``(steps, n_inputs)`` as float64."""
    n_inputs = sum(int(np.prod(graph.shapes[n])) for n in graph.inputs)
    drive = np.asarray(drive, dtype=np.float64)
    if drive.ndim != 2 or drive.shape[1] != n_inputs:
        raise ValueError(f"one sample's drive must have shape (steps, {n_inputs}), got {drive.shape}")
    return drive


def to_brian2(graph: ir.Graph, drive: np.ndarray, timesteps: int, *, latency_model: LatencyModel = "same-step",
              dt: float = 1e-3) -> Brian2Model:
    """Build the Brian2 objects that simulate ``graph`` for one sample.

    Parameters
    ----------
    graph
        A binary-spike network (IF, LIF, CubaLIF populations; no max-pool gate).
    drive
        ``(steps, n_inputs)`` with ``steps`` 1 (held constant) or ``timesteps``:
        one sample of what :func:`neuro.engine.simulate` takes.
    timesteps, latency_model, dt
        As for :func:`neuro.compile_network` and :func:`neuro.engine.simulate`.

    The objects are created under Brian2's active device; run them with
    ``model.network.run(model.timesteps * model.dt * second)``, or use
    :func:`run_brian2`, which also handles ``cpp_standalone``.
    """
    import brian2 as b2

    check_exportable(graph)
    the_plan = plan(graph, latency_model)
    table = _drive_table(graph, drive)
    step = dt * b2.second
    clock = b2.Clock(dt=step)
    # a network without inputs (e.g. a self-driven recurrent one) needs no drive table
    drive_array = b2.TimedArray(table, dt=step, name="neuro_drive") if table.shape[1] else None
    groups: dict[str, object] = {}
    monitors: dict[str, object] = {}
    column = 0
    objects: list[object] = []
    slot = {name: 3 * position for position, name in enumerate(the_plan.order)}
    for name in the_plan.order:
        node = graph.nodes[name]
        size = int(np.prod(graph.shapes[name]))
        if isinstance(node, ir.Input):
            group = b2.NeuronGroup(size, "x : 1\ncolumn : integer (constant)", threshold="x != 0", reset="",
                                   clock=clock, namespace={"neuro_drive": drive_array}, name=f"input_{len(groups)}")
            group.column = np.arange(column, column + size)
            column += size
            group.run_regularly("x = neuro_drive(t, column)", when="groups", order=slot[name], clock=clock)
        else:
            group = b2.NeuronGroup(size, _POPULATION_MODEL, threshold="v >= v_threshold", reset=_RESETS[node.reset],
                                   clock=clock, name=f"population_{len(groups)}")
            constants = step_constants(node, dt)
            for key in ("a_syn", "w_in", "a_mem", "leak"):
                setattr(group, key, getattr(constants, key).ravel())
            group.r = node.r.ravel()
            group.v_threshold = node.v_threshold.ravel()
            group.v_reset = node.v_reset.ravel()
            group.v = node.v_initial.ravel()
            group.run_regularly(_POPULATION_UPDATE, when="groups", order=slot[name], clock=clock)
            monitors[name] = b2.SpikeMonitor(group, record=False, name=f"spikes_{len(groups)}")
        group.thresholder["spike"].when = "groups"
        group.thresholder["spike"].order = slot[name] + 1
        groups[name] = group
        objects.append(group)

    biases = {name: np.zeros(int(np.prod(graph.shapes[name]))) for name in graph.populations}
    synapses = []
    for projection in the_plan.projections:
        source, target = groups[projection.source], groups[projection.target]
        from_input = isinstance(graph.nodes[projection.source], ir.Input)
        biases[projection.target] += projection_bias(graph, projection)
        for delay, matrix in projection_weights(graph, projection).items():
            coo = matrix.tocoo()
            if coo.nnz == 0:
                continue
            # an input event's payload is its value when it was sent: Brian2 runs a delayed on_pre
            # later and would read x_pre then, so a delayed one reads the drive that many steps back
            payload = ("1" if not from_input else "x_pre" if delay == 0
                       else f"neuro_drive(t - {delay} * neuro_dt, column_pre)")
            # sorted by source, then target: the engine's order of addition, except that it walks a
            # channels-last population (a convolution's target) in its stored order
            order = np.lexsort((coo.row, coo.col))
            synapse = b2.Synapses(source, target, "w : 1 (constant)", on_pre=f"arriving_post += w * {payload}",
                                  clock=clock, name=f"projection_{len(synapses)}",
                                  namespace={"neuro_drive": drive_array, "neuro_dt": step} if from_input else None)
            synapse.connect(i=coo.col[order].astype(np.int64), j=coo.row[order].astype(np.int64))
            synapse.w = coo.data[order]
            if delay == 0:
                synapse.pre.when, synapse.pre.order = "groups", slot[projection.source] + 2
            else:  # read last step's spikes before anything updates, deliver d - 1 steps later
                synapse.pre.when, synapse.pre.order = "start", 0
                synapse.delay = (delay - 1) * step
            synapses.append(synapse)
    for name, bias in biases.items():
        groups[name].bias = bias
    network = b2.Network(*objects, *synapses, *monitors.values())
    return Brian2Model(network=network, groups=groups, monitors=monitors, drive=drive_array,
                       timesteps=int(timesteps), dt=float(dt), synapses=synapses)


def _counts(model: Brian2Model) -> dict[str, np.ndarray]:
    return {name: np.asarray(monitor.count[:], dtype=np.int64) for name, monitor in model.monitors.items()}


def run_brian2(graph: ir.Graph, drive, timesteps: int, *, device: str = "runtime",
               latency_model: LatencyModel = "same-step", dt: float = 1e-3, directory: str | None = None,
               codegen_target: str = "numpy") -> dict[str, np.ndarray]:
    """Simulate a batch in Brian2; spike counts per population, ``(batch, neurons)``.

    Parameters
    ----------
    drive
        ``(batch, steps, n_inputs)`` as for :func:`neuro.engine.simulate`.
    device
        ``"runtime"`` (Python-driven; ``codegen_target`` "numpy" or "cython") or
        ``"cpp_standalone"`` (one compiled binary, run once per sample).
    directory
        Where ``cpp_standalone`` writes its project (a temporary folder by default).
    """
    import brian2 as b2

    if device not in BRIAN2_DEVICES:
        raise ValueError(f"device must be one of {BRIAN2_DEVICES}, got {device!r}")
    drive = np.asarray(drive, dtype=np.float64)
    if drive.ndim != 3:
        raise ValueError(f"drive must have shape (batch, steps, n_inputs), got {drive.shape}")
    results: dict[str, list[np.ndarray]] = {}
    if device == "runtime":
        b2.prefs.codegen.target = codegen_target
        for sample in drive:
            model = to_brian2(graph, sample, timesteps, latency_model=latency_model, dt=dt)
            model.network.run(timesteps * dt * b2.second)
            for name, counts in _counts(model).items():
                results.setdefault(name, []).append(counts)
        return {name: np.stack(rows) for name, rows in results.items()}

    with tempfile.TemporaryDirectory(prefix="neuro-brian2-") as scratch:
        saved_flags = b2.prefs.codegen.cpp.extra_compile_args_gcc
        project = directory or scratch
        b2.set_device("cpp_standalone", build_on_run=False, directory=project)
        try:
            b2.prefs.codegen.cpp.extra_compile_args_gcc = _EXACT_CPP_FLAGS
            model = to_brian2(graph, drive[0], timesteps, latency_model=latency_model, dt=dt)
            model.network.run(timesteps * dt * b2.second)
            b2.device.build(directory=project, run=False)  # build() has its own default folder, "output"
            for sample in drive:
                run_args = {} if model.drive is None else {model.drive: _drive_table(graph, sample)}
                b2.device.run(run_args=run_args, with_output=False)
                for name, counts in _counts(model).items():
                    results.setdefault(name, []).append(counts)
        finally:
            b2.prefs.codegen.cpp.extra_compile_args_gcc = saved_flags
            b2.device.reinit()
            b2.set_device("runtime")
    return {name: np.stack(rows) for name, rows in results.items()}
