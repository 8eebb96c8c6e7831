"""``neuro demo``: the end-to-end demonstration, as far as the project goes today.

Today: a seeded 64-128-10 integrate-and-fire network with random weights runs in
the event-driven Numba engine and in the dense NumPy reference engine; the demo
checks that both give the same spikes and prints the counters an energy model
bills. It grows into the full accuracy-versus-energy report as conversion,
profiles and benchmarks land.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from neuro import encode, ir
from neuro.compile import compile_network
from neuro.engine import simulate
from neuro.io import save, write_atomic


def _random_network(rng: np.random.Generator) -> ir.Graph:
    w1 = rng.integers(-16, 17, (128, 64)) / 64
    w2 = rng.integers(-16, 17, (10, 128)) / 64
    return ir.Graph(
        nodes={"in": ir.Input((64,)), "fc1": ir.Dense(w1), "hidden": ir.IF.uniform((128,)),
               "fc2": ir.Dense(w2), "out": ir.IF.uniform((10,))},
        edges=(("in", "fc1"), ("fc1", "hidden"), ("hidden", "fc2"), ("fc2", "out")),
        metadata={"made_by": "neuro demo", "weights": "random, seed 0"},
    )


def run_demo(out: str = "reports/demo", quick: bool = False) -> int:
    rng = np.random.default_rng(0)
    graph = _random_network(rng)
    batch, timesteps = (4, 16) if quick else (32, 64)
    x = rng.random((batch, 64))
    drive = encode.poisson(x, timesteps, rng)
    net = compile_network(graph)
    start = time.perf_counter()
    fast = simulate(net, drive, timesteps=timesteps)
    fast_s = time.perf_counter() - start
    start = time.perf_counter()
    slow = simulate(net, drive, timesteps=timesteps, kernel="reference")
    slow_s = time.perf_counter() - start
    same = bool(np.array_equal(fast.spike_counts, slow.spike_counts))
    summary = {
        "network": "64-128-10 IF, random weights (seed 0)", "batch": batch, "timesteps": timesteps,
        "latency_model": fast.latency_model, "engines_agree": same,
        "per_inference": fast.counters.per_inference(),
        "numba_s": fast_s, "reference_s": slow_s,
    }
    folder = Path(out)
    save(graph, folder / "random_network.npz")
    write_atomic(folder / "summary.json", json.dumps(summary, indent=2).encode())
    print(f"network: {summary['network']}; batch {batch}, T={timesteps}, Poisson input, "
          f"latency model {fast.latency_model}")
    for key, value in summary["per_inference"].items():
        print(f"  {key} per inference: {value:,.0f}")
    print(f"  numba engine {fast_s * 1e3:.1f} ms, reference engine {slow_s * 1e3:.1f} ms; "
          f"identical spikes: {same}")
    print(f"wrote {folder / 'random_network.npz'} and {folder / 'summary.json'}")
    return 0 if same else 1
