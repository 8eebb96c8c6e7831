"""What a simulation returns: frozen values, no behaviour beyond summaries."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Counters", "SimResult"]


@dataclass(frozen=True, eq=False)
class Counters:
    """Per sample and population: what an energy model bills.

    Arrays have shape ``(batch, populations)``; ``names`` gives the column order
    (inputs included: their events are the encoded input, their synaptic
    operations deliver it to the first layer).
    """

    names: tuple[str, ...]
    events: np.ndarray
    synops: np.ndarray
    neuron_updates: np.ndarray

    def per_inference(self) -> dict[str, float]:
        """Totals over populations, averaged over the batch."""
        return {
            "events": float(self.events.sum(axis=1).mean()),
            "synops": float(self.synops.sum(axis=1).mean()),
            "neuron_updates": float(self.neuron_updates.sum(axis=1).mean()),
        }

    def by_population(self) -> dict[str, dict[str, float]]:
        """Batch-averaged counters of every population."""
        return {
            name: {
                "events": float(self.events[:, p].mean()),
                "synops": float(self.synops[:, p].mean()),
                "neuron_updates": float(self.neuron_updates[:, p].mean()),
            }
            for p, name in enumerate(self.names)
        }


@dataclass(frozen=True, eq=False)
class SimResult:
    """Outcome of :func:`neuro.engine.simulate` for a batch.

    ``spike_counts`` holds every neuron's event count (global index order of the
    compiled network; use :meth:`counts_of`); ``output_steps`` the output
    population's spikes per step and ``output_v_steps`` its membrane after each
    step, so a readout at any ``T' <= timesteps`` needs no second run.
    """

    output: str
    timesteps: int
    latency_model: str
    dt: float
    spike_counts: np.ndarray  # (batch, neurons)
    output_steps: np.ndarray  # (batch, timesteps, n_output)
    output_v_steps: np.ndarray  # (batch, timesteps, n_output) membrane after each step
    output_threshold: np.ndarray  # (n_output,)
    counters: Counters
    slices: dict[str, slice]

    @property
    def output_counts(self) -> np.ndarray:
        return self.output_steps.sum(axis=1)

    @property
    def output_v(self) -> np.ndarray:
        """Membrane potential of the output population at the end of the run."""
        return self.output_v_steps[:, -1]

    def counts_of(self, name: str) -> np.ndarray:
        """Event counts of one population, shape ``(batch, neurons)``."""
        return self.spike_counts[:, self.slices[name]]
