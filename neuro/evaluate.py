"""Accuracy of a spiking graph on a data set, next to the ANN it came from.

The ANN's accuracy comes from the graph itself (:mod:`neuro.analog`: its IF
populations read as ReLU units), so no torch is needed here. The SNN runs in the
engine over the chosen test samples in batches; with the pipelined latency model
it runs ``T + latency`` steps, so that every input gets T steps at the output.
"""

from __future__ import annotations

import time

import numpy as np

from neuro import analog, encode
from neuro.compile import compile_network
from neuro.datasets import Dataset
from neuro.engine import simulate
from neuro.ir import Graph
from neuro.progress import Progress

__all__ = ["evaluate_graph", "INPUTS"]

INPUTS = ("analog", "poisson")


def _drive(x, input_kind, steps, rng):
    if input_kind == "analog":
        return encode.constant(x)
    if np.any(x < 0) or np.any(x > 1):
        raise ValueError("poisson input needs data in [0, 1]; this data set has values outside it, use analog input")
    return encode.poisson(x, steps, rng)


def evaluate_graph(graph: Graph, data: Dataset, *, timesteps: int, latency_model: str = "same-step",
                   samples: int | None = None, input_kind: str = "analog", readout: str | None = None,
                   seed: int = 0, batch_size: int = 256, dt: float = 1e-3, report_timesteps=(),
                   show_progress: bool = True) -> dict:
    """Run the graph on the test set; return the figures ``neuro run`` prints.

    ``report_timesteps`` adds the SNN accuracy at those earlier T (from the same run).
    """
    if input_kind not in INPUTS:
        raise ValueError(f"input must be one of {INPUTS}, got {input_kind!r}")
    conversion = dict(graph.metadata.get("conversion", {}))
    readout = readout or conversion.get("readout", "count")
    x, y = data.test_subset(samples)
    if x.shape[1:] != graph.shapes[graph.inputs[0]]:
        raise ValueError(f"dataset {data.name!r} has samples of shape {x.shape[1:]}, the network expects "
                         f"{graph.shapes[graph.inputs[0]]}")
    try:
        ann_predictions = analog.evaluate(graph, x).logits.argmax(axis=1)
    except ValueError:
        ann_predictions = None  # not an IF rate network: no ANN reading
    net = compile_network(graph, latency_model=latency_model, dt=dt)
    latency = net.latency_steps if latency_model == "pipelined" else 0
    steps = timesteps + latency
    rng = np.random.default_rng(seed)
    predictions = {t: [] for t in sorted({*report_timesteps, timesteps})}
    totals = {"events": 0.0, "synops": 0.0, "neuron_updates": 0.0}
    by_population: dict[str, dict[str, float]] = {}
    progress = Progress(f"simulating {len(x)} samples, T={steps}", len(x), enabled=show_progress)
    start = time.perf_counter()
    for lo in range(0, len(x), batch_size):
        chunk = x[lo:lo + batch_size]
        result = simulate(net, _drive(chunk, input_kind, steps, rng), timesteps=steps)
        for t in predictions:
            predictions[t].append(encode.predictions(result, readout=readout, timesteps=t + latency))
        for key, value in result.counters.per_inference().items():
            totals[key] += value * len(chunk)
        for name, counters in result.counters.by_population().items():
            row = by_population.setdefault(name, {k: 0.0 for k in counters})
            for key, value in counters.items():
                row[key] += value * len(chunk)
        progress.update(len(chunk))
    elapsed = time.perf_counter() - start
    snn = {t: np.concatenate(p) for t, p in predictions.items()}
    final = snn[timesteps]
    row = {
        "dataset": data.name, "samples": int(len(x)), "timesteps": int(timesteps),
        "latency_model": latency_model, "latency_steps": int(latency), "steps_run": int(steps),
        "input": input_kind, "readout": readout,
        "ann_accuracy": None if ann_predictions is None else float((ann_predictions == y).mean()),
        "snn_accuracy": float((final == y).mean()),
        "agreement": None if ann_predictions is None else float((final == ann_predictions).mean()),
        "events_per_inference": totals["events"] / len(x),
        "synops_per_inference": totals["synops"] / len(x),
        "neuron_updates_per_inference": totals["neuron_updates"] / len(x),
        "per_population": {n: {k: v / len(x) for k, v in c.items()} for n, c in by_population.items()},
        "snn_accuracy_at": {str(t): float((p == y).mean()) for t, p in snn.items()},
        "simulation_s": elapsed, "conversion": conversion,
    }
    return row
