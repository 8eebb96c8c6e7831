"""Compile the engine's kernel once, so that Numba's on-disk cache holds it.

The kernel does not depend on the network (a network is data for it), so one
compilation per installation serves every network after it: ``make setup`` runs
``python -m neuro.engine.warm``, and a fresh process then loads the kernel
instead of compiling it (seconds instead of ten or more).
"""

from __future__ import annotations

import time

import numpy as np

from neuro import ir
from neuro.compile import compile_network
from neuro.engine.simulate import simulate


def warm_up() -> float:
    """Run a two-neuron network once; returns the seconds it took, compilation included."""
    start = time.perf_counter()
    graph = ir.Graph(nodes={"in": ir.Input((1,)), "w": ir.Dense(np.ones((2, 1))),
                            "n": ir.IF(v_threshold=np.ones(2))},
                     edges=(("in", "w"), ("w", "n")))
    network = compile_network(graph)
    simulate(network, np.ones((1, 1, 1)), timesteps=2)  # the serial entry
    simulate(network, np.ones((2, 1, 1)), timesteps=2, threads=2)  # the parallel one, where there are 2 threads
    return time.perf_counter() - start


if __name__ == "__main__":
    print(f"engine kernel ready ({warm_up():.1f} s)")
