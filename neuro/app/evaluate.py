"""Accuracy of a spiking graph on a data set, next to the ANN it came from.

The ANN's accuracy comes from the graph itself (:mod:`neuro.analog`: its IF
populations read as ReLU units), so no torch is needed here. The SNN runs in the
engine over the chosen test samples in batches; with the pipelined latency model
it runs ``T + latency`` steps, so that every input gets T steps at the output.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from neuro import analog, encode, ir
from neuro.app.progress import progress as progress_bar
from neuro.billing import ANN_BASELINES, HardwareFigures, hardware_figures
from neuro.compile import compile_network
from neuro.datasets import Dataset, as_sequence
from neuro.engine import simulate
from neuro.ir import Graph
from neuro.mapping import map_to_profile
from neuro.results import CounterTotals
from neuro.sequence import SequenceTiming
from neuro.structure import ann_workload, lstm_workload

__all__ = ["Evaluation", "evaluate_graph", "INPUTS", "ANN_BASELINES"]

INPUTS = ("analog", "poisson")


def _exact(graph: Graph) -> Graph:
    """The graph with every graded send threshold at 0: it then computes its ANN exactly."""
    nodes = {name: dataclasses.replace(node, threshold=np.zeros(node.shape))
             if isinstance(node, ir.GRADED_TYPES) else node for name, node in graph.nodes.items()}
    return Graph(nodes=nodes, edges=graph.edges, metadata=graph.metadata)


def _drive(x, input_kind, steps, rng, timing: SequenceTiming | None = None):
    if timing is not None:
        if input_kind != "analog":
            raise ValueError("sequence networks take their input as graded values (--input analog)")
        return encode.sequence_drive(timing, x)
    if input_kind == "analog":
        return encode.constant(x)
    if np.any(x < 0) or np.any(x > 1):
        raise ValueError("poisson input needs data in [0, 1]; this data set has values outside it, use analog input")
    return encode.poisson(x, steps, rng)


@dataclass(frozen=True)
class Evaluation:
    """What one run of a network over a test set gives: the figures ``neuro run`` prints and a results row holds.

    ``counts`` keeps the engine's counters as exact integers over all samples; the figures
    per inference are derived from them. ``hardware`` is there when the run was mapped
    onto a chip profile. :meth:`to_row` is the one place that names the row's keys.
    """

    dataset: str
    samples: int
    timesteps: int
    latency_model: str
    latency_steps: int
    steps_run: int
    input: str
    readout: str
    ann_accuracy: float | None
    snn_accuracy: float
    agreement: float | None
    counts: CounterTotals
    snn_accuracy_at: dict[str, float]
    simulation_s: float
    conversion: dict
    ann_accuracy_quantised: float | None = None
    hardware: HardwareFigures | None = None

    def to_row(self) -> dict:
        """The results row (the keys of results.json and of ``neuro run --json``)."""
        row = {
            "dataset": self.dataset, "samples": self.samples, "timesteps": self.timesteps,
            "latency_model": self.latency_model, "latency_steps": self.latency_steps, "steps_run": self.steps_run,
            "input": self.input, "readout": self.readout, "ann_accuracy": self.ann_accuracy,
            "snn_accuracy": self.snn_accuracy, "agreement": self.agreement,
            **{f"{kind}_per_inference": value for kind, value in self.counts.per_inference().items()},
            "per_population": self.counts.by_population(), "snn_accuracy_at": dict(self.snn_accuracy_at),
            "simulation_s": self.simulation_s, "conversion": dict(self.conversion),
        }
        if self.hardware is not None:
            row["ann_accuracy_quantised"] = self.ann_accuracy_quantised
            row.update(self.hardware.to_row())
        return row


def evaluate_graph(graph: Graph, data: Dataset, *, timesteps: int, latency_model: str = "same-step",
                   samples: int | None = None, input_kind: str = "analog", readout: str | None = None,
                   seed: int = 0, batch_size: int = 256, dt: float = 1e-3, report_timesteps=(),
                   show_progress: bool = True, profile=None, ann_baseline: str = "horowitz45nm",
                   ann_logits: Callable[[Graph, np.ndarray], np.ndarray] | None = None) -> Evaluation:
    """Run the graph on the test set; return the figures ``neuro run`` prints (an :class:`Evaluation`).

    ``report_timesteps`` adds the SNN accuracy at those earlier T (from the same run).
    ``ann_logits(graph, x)`` gives the ANN's class scores for a network whose ANN the
    core cannot read back itself (a converter's, e.g. a binary LSTM's); without it a
    graded network is read at send threshold 0, a rate network of IF populations as
    ReLU units, and anything else has no ANN reading. With a neuromorphic ``profile``
    (a :class:`hardware_profiles.HardwareProfile`) the graph is first mapped and
    quantised for it; the row then also carries the fit, energy and latency per
    inference, and the ANN baselines' energy.
    """
    mapped = None
    if profile is not None:
        mapped = map_to_profile(graph, profile)
        ann_graph, graph = graph, mapped.graph
        dt = profile.cost.time_step_s or dt
    if input_kind not in INPUTS:
        raise ValueError(f"input must be one of {INPUTS}, got {input_kind!r}")
    conversion = dict(graph.metadata.get("conversion", {}))
    readout = readout or conversion.get("readout", "count")
    x, y = data.test_subset(samples)
    sequence = SequenceTiming.of(conversion)
    if sequence is not None:  # an LSTM: one sequence element per K ticks
        x = as_sequence(x)
        if latency_model != "same-step":
            raise ValueError("sequence (LSTM) networks run with the same-step latency model; their recurrence "
                             "needs each element's result within its ticks")
        timesteps = sequence.steps(x.shape[1])
        report_timesteps = ()
        expected = graph.shapes[graph.inputs[0]]
        if x.shape[2:] != expected:
            raise ValueError(f"dataset {data.name!r} gives sequence elements of shape {x.shape[2:]}, the network "
                             f"expects {expected}")
    elif x.shape[1:] != graph.shapes[graph.inputs[0]]:
        raise ValueError(f"dataset {data.name!r} has samples of shape {x.shape[1:]}, the network expects "
                         f"{graph.shapes[graph.inputs[0]]}")

    def ann_reading(g):
        if ann_logits is not None:  # the caller knows how to read this network's ANN back
            return ann_logits(g, x).argmax(axis=1)
        if any(isinstance(node, ir.GRADED_TYPES) for node in g.nodes.values()):
            exact = simulate(compile_network(_exact(g)), _drive(x, "analog", timesteps, None, sequence),
                             timesteps=timesteps)
            return encode.predictions(exact, readout="value")
        try:
            return analog.evaluate(g, x).logits.argmax(axis=1)
        except ValueError:
            return None  # not a rate network of IF populations: no ANN reading

    ann_predictions = ann_reading(ann_graph if mapped is not None else graph)
    net = compile_network(graph, latency_model=latency_model, dt=dt)
    latency = net.latency_steps if latency_model == "pipelined" else 0
    steps = timesteps + latency
    rng = np.random.default_rng(seed)
    predictions = {t: [] for t in sorted({*report_timesteps, timesteps})}
    totals = CounterTotals.empty(net.names)  # exact integers; divided by the sample count once, at the end
    neuron_counts = np.zeros(net.n_neurons, np.int64)
    progress = progress_bar(f"simulating {len(x)} samples, T={steps}", len(x), enabled=show_progress)
    start = time.perf_counter()
    for lo in range(0, len(x), batch_size):
        chunk = x[lo:lo + batch_size]
        result = simulate(net, _drive(chunk, input_kind, steps, rng, sequence), timesteps=steps)
        for t in predictions:
            predictions[t].append(encode.predictions(result, readout=readout, timesteps=t + latency))
        totals = totals + result.counters.totals()
        neuron_counts += result.spike_counts.sum(axis=0)
        progress.update(len(chunk))
    progress.close()
    elapsed = time.perf_counter() - start
    snn = {t: np.concatenate(p) for t, p in predictions.items()}
    final = snn[timesteps]
    evaluation = Evaluation(
        dataset=data.name, samples=int(len(x)), timesteps=int(timesteps), latency_model=latency_model,
        latency_steps=int(latency), steps_run=int(steps), input=input_kind, readout=readout,
        ann_accuracy=None if ann_predictions is None else float((ann_predictions == y).mean()),
        snn_accuracy=float((final == y).mean()),
        agreement=None if ann_predictions is None else float((final == ann_predictions).mean()),
        counts=totals, snn_accuracy_at={str(t): float((p == y).mean()) for t, p in snn.items()},
        simulation_s=elapsed, conversion=conversion,
    )
    if mapped is None:
        return evaluation
    quantised = ann_reading(graph)
    spikes = {name: neuron_counts[net.slice_of(name)] for name in net.names}
    if sequence is not None:  # an LSTM: its linear maps run once per element (see lstm_workload)
        if sequence.hidden is None or sequence.layers is None:
            raise ValueError("the network's conversion metadata lacks hidden or layers: its LSTM workload "
                             "cannot be billed; convert it again")
        workload = lstm_workload(int(np.prod(ann_graph.shapes[ann_graph.inputs[0]])), sequence.hidden,
                                 sequence.layers, int(np.prod(ann_graph.shapes[ann_graph.output])), x.shape[1])
    else:
        workload = ann_workload(ann_graph)
    return dataclasses.replace(
        evaluation, ann_accuracy_quantised=None if quantised is None else float((quantised == y).mean()),
        hardware=hardware_figures(mapped, profile, totals, spikes, workload, ann_baseline, steps))
