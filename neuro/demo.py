"""``neuro demo``: the end-to-end demonstration, as far as the project goes today.

1. The engine against its oracle: a seeded random network runs in the Numba
   engine and in the dense NumPy reference; the spikes must be identical.
2. Conversion: every zoo CNN is trained with its seeded recipe, converted, and
   simulated on its whole held-out test set (analog input, same-step latency
   model) at T = 4, 8, 16, 32, next to the ANN's accuracy.

Writes ``summary.json`` and the converted networks into the output folder.
Like the CLI, this module is a composition root: it may import the converters.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from neuro import encode, ir
from neuro.compile import compile_network
from neuro.datasets import load as load_dataset
from neuro.engine import simulate
from neuro.evaluate import evaluate_graph
from neuro.io import save, write_atomic

QUICK_MODELS = ("digits-cnn-bn-maxpool",)


def _random_network(rng: np.random.Generator) -> ir.Graph:
    w1 = rng.integers(-16, 17, (128, 64)) / 64
    w2 = rng.integers(-16, 17, (10, 128)) / 64
    return ir.Graph(
        nodes={"in": ir.Input((64,)), "fc1": ir.Dense(w1), "hidden": ir.IF.uniform((128,)),
               "fc2": ir.Dense(w2), "out": ir.IF.uniform((10,))},
        edges=(("in", "fc1"), ("fc1", "hidden"), ("hidden", "fc2"), ("fc2", "out")),
        metadata={"made_by": "neuro demo", "weights": "random, seed 0"},
    )


def _oracle_check(quick: bool) -> dict:
    rng = np.random.default_rng(0)
    graph = _random_network(rng)
    batch, timesteps = (4, 16) if quick else (16, 64)
    drive = encode.poisson(rng.random((batch, 64)), timesteps, rng)
    net = compile_network(graph)
    fast = simulate(net, drive, timesteps=timesteps)
    slow = simulate(net, drive, timesteps=timesteps, kernel="reference")
    return {"network": "64-128-10 IF, random dyadic weights (seed 0)", "batch": batch, "timesteps": timesteps,
            "identical_spikes": bool(np.array_equal(fast.spike_counts, slow.spike_counts)),
            "per_inference": fast.counters.per_inference()}


def _log(message: str) -> None:
    print(message, flush=True)


def run_demo(out: str = "reports/demo", quick: bool = False) -> int:
    from converters import from_torch, zoo

    folder = Path(out)
    start = time.perf_counter()
    oracle = _oracle_check(quick)
    _log(f"engine vs reference oracle on {oracle['network']}: identical spikes = {oracle['identical_spikes']}")
    models = QUICK_MODELS if quick else tuple(zoo.ZOO)
    rows = []
    for name in models:
        recipe = zoo.recipe(name)
        data = load_dataset(recipe.dataset)
        t0 = time.perf_counter()
        model = zoo.train(name)
        graph = from_torch(model, data.x_train[:500], recipe.conversion)
        graph = ir.Graph(nodes=graph.nodes, edges=graph.edges,
                         metadata={**graph.metadata, "model": name, "dataset": data.name})
        save(graph, folder / f"{name}.npz")
        row = evaluate_graph(graph, data, timesteps=32, report_timesteps=(4, 8, 16),
                             samples=100 if quick else None, show_progress=False)
        row = {"model": name, **row, "train_and_convert_s": time.perf_counter() - t0 - row["simulation_s"]}
        rows.append(row)
        accs = ", ".join(f"T={t}: {a:.4f}" for t, a in row["snn_accuracy_at"].items())
        _log(f"{name}: ANN {row['ann_accuracy']:.4f}; SNN {accs}; "
             f"{row['synops_per_inference']:,.0f} synaptic ops per inference at T=32")
    summary = {"oracle": oracle, "conversion": rows, "seconds": time.perf_counter() - start}
    write_atomic(folder / "summary.json", json.dumps(summary, indent=2).encode())
    print()
    print("| model | samples | ANN | SNN T=4 | T=8 | T=16 | T=32 | synops/inference (T=32) |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        a = r["snn_accuracy_at"]
        print(f"| {r['model']} | {r['samples']} | {r['ann_accuracy']:.4f} | {a['4']:.4f} | {a['8']:.4f} | "
              f"{a['16']:.4f} | {a['32']:.4f} | {r['synops_per_inference']:,.0f} |")
    print(f"\nwrote {folder / 'summary.json'} and the converted networks in {folder}/ "
          f"({summary['seconds']:.0f} s)")
    return 0 if oracle["identical_spikes"] else 1
