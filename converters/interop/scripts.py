"""Runnable Python scripts that rebuild a saved network in Brian2 or snntorch.

``neuro export NET --to brian2|snntorch --out FILE.py`` writes one of these next to a
copy of the network file (``FILE.npz``). The script uses this package's
exporters (:mod:`converters.interop.brian2`, :mod:`converters.interop.snntorch`), so it needs
``neuro`` installed; what it builds is plain Brian2 objects or a torch module.
"""

from __future__ import annotations

_HEADER = '''"""{target} form of {network}: written by `neuro export`; needs the neuro package.

Run it to simulate {timesteps} steps of constant drive (all inputs {level}) and print each
population's spike count, or import it and call `build(...)`.
"""

from pathlib import Path

import numpy as np

from neuro import io

NETWORK = Path(__file__).with_suffix(".npz")
'''

_BRIAN2 = '''
from converters.interop.brian2 import run_brian2, to_brian2


def build(drive, timesteps):
    """The Brian2 objects for one sample's drive (steps, n_inputs)."""
    return to_brian2(io.load(NETWORK), drive, timesteps)


if __name__ == "__main__":
    graph = io.load(NETWORK)
    n_inputs = sum(int(np.prod(graph.shapes[n])) for n in graph.inputs)
    counts = run_brian2(graph, np.full((1, 1, n_inputs), {level}), {timesteps})
    for name, per_neuron in counts.items():
        print(name, int(per_neuron.sum()))
'''

_SNNTORCH = '''
import torch

from converters.interop.snntorch import to_snntorch


def build():
    """The torch module of snntorch neurons; call it with (drive, timesteps)."""
    return to_snntorch(io.load(NETWORK))


if __name__ == "__main__":
    graph = io.load(NETWORK)
    n_inputs = sum(int(np.prod(graph.shapes[n])) for n in graph.inputs)
    with torch.no_grad():
        spikes = build()(np.full((1, 1, n_inputs), {level}), {timesteps})
    for name, steps in spikes.items():
        print(name, int(steps.sum()))
'''

TARGETS = {"brian2": _BRIAN2, "snntorch": _SNNTORCH}


def export_script(target: str, network_name: str, *, timesteps: int = 32, level: float = 0.5) -> str:
    """The text of the script for ``target`` ("brian2" or "snntorch")."""
    if target not in TARGETS:
        raise ValueError(f"script target must be one of {sorted(TARGETS)}, got {target!r}")
    fill = {"target": target, "network": network_name, "timesteps": timesteps, "level": level}
    return _HEADER.format(**fill) + TARGETS[target].format(**fill)
