"""``neuro demo``: the end-to-end demonstration, as far as the project goes today.

1. The engine against its oracle: a seeded random network runs in the Numba
   engine and in the dense NumPy reference; the spikes must be identical.
2. The benchmark: the digits and mnist1d CNNs, mnist-lenet and the digits LSTM
   are trained with their seeded recipes, converted, and swept over every shipped
   neuromorphic profile at
   T = 8 and 32 (an LSTM: one tick per sequence element) on its whole held-out
   test set (``neuro bench``), into results.json, report.md, report.html and plots.
Like the CLI, this module is a composition root: it may import the converters.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from neuro import encode, ir
from neuro.compile import compile_network
from neuro.engine import simulate
from neuro.io import write_json

QUICK_MODELS = ("digits-cnn-bn-maxpool",)
QUICK_PROFILES = ("loihi2", "truenorth")
QUICK_TIMESTEPS = (8,)
DEMO_TIMESTEPS = (8, 32)  # the whole sweep stays under 5 minutes on 2 cores, set-up included
# the digits and mnist1d CNNs, LeNet-5 on 28x28 MNIST (a model of the size people train) and the digits LSTM;
# mnist-vgg, mnist-resnet and mnist1d-lstm are left to `neuro bench`, to keep the demo under 5 minutes
DEMO_MODELS = ("digits-cnn", "digits-cnn-bn-maxpool", "digits-resnet", "mnist1d-cnn", "mnist-lenet", "digits-lstm")


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
    """Check the engine against its oracle, then benchmark the zoo on every shipped chip profile."""
    import hardware_profiles
    from neuro.app.bench import run_bench
    from neuro.app.report import best_text

    start = time.perf_counter()
    oracle = _oracle_check(quick)
    _log(f"engine vs reference oracle on {oracle['network']}: identical spikes = {oracle['identical_spikes']}")
    models = list(QUICK_MODELS if quick else DEMO_MODELS)
    profiles = list(QUICK_PROFILES if quick else hardware_profiles.available("neuromorphic"))
    timesteps = list(QUICK_TIMESTEPS if quick else DEMO_TIMESTEPS)
    _log(f"benchmarking {', '.join(models)} on {', '.join(profiles)} at T = {timesteps} "
         f"({'60 samples' if quick else 'whole held-out test sets'})")
    outcome = run_bench(models, profiles, timesteps, out, samples=60 if quick else None, log=_log)
    folder = Path(out)
    summary = {"oracle": oracle, "seconds": time.perf_counter() - start, "results": "results.json"}
    write_json(folder / "summary.json", summary)
    print()
    print(best_text(outcome["report"].best))
    print(f"\nreport: {folder / 'report.html'} (also report.md, results.json and the plots in {folder}/); "
          f"{summary['seconds']:.0f} s in all")
    return 0 if oracle["identical_spikes"] else 1
