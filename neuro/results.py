"""What a simulation returns: frozen values, no behaviour beyond summaries."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Counters", "CounterTotals", "SimResult"]


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

    def totals(self) -> CounterTotals:
        """The counters summed over the batch, as exact integers (to add up over batches)."""
        return CounterTotals(names=self.names, samples=int(self.events.shape[0]),
                             events=self.events.sum(axis=0), synops=self.synops.sum(axis=0),
                             neuron_updates=self.neuron_updates.sum(axis=0))


@dataclass(frozen=True, eq=False)
class CounterTotals:
    """Counters of every population summed over ``samples`` inferences, as integers.

    Sums over batches and over populations stay exact here; a figure per
    inference is a total divided by ``samples`` once, at the end, so a count by
    kind is never recovered by subtracting two rounded averages.
    """

    names: tuple[str, ...]
    samples: int
    events: np.ndarray  # (populations,) int64
    synops: np.ndarray
    neuron_updates: np.ndarray

    @classmethod
    def empty(cls, names: tuple[str, ...]) -> CounterTotals:
        zero = np.zeros(len(names), np.int64)
        return cls(names=tuple(names), samples=0, events=zero, synops=zero, neuron_updates=zero)

    def __add__(self, other: CounterTotals) -> CounterTotals:
        if self.names != other.names:
            raise ValueError("counter totals of different networks cannot be added")
        return CounterTotals(names=self.names, samples=self.samples + other.samples,
                             events=self.events + other.events, synops=self.synops + other.synops,
                             neuron_updates=self.neuron_updates + other.neuron_updates)

    def total(self, kind: str, populations=None) -> int:
        """Exact total of one counter (``events``, ``synops``, ``neuron_updates``) over the
        named populations (all when ``None``)."""
        values = getattr(self, kind)
        if populations is None:
            return int(values.sum())
        wanted = set(populations)
        return int(sum(int(v) for name, v in zip(self.names, values, strict=True) if name in wanted))

    def per_inference(self) -> dict[str, float]:
        """Totals over populations divided by the number of inferences."""
        return {kind: self.total(kind) / self.samples for kind in ("events", "synops", "neuron_updates")}

    def by_population(self) -> dict[str, dict[str, float]]:
        """Every population's counters per inference."""
        return {name: {"events": int(self.events[p]) / self.samples, "synops": int(self.synops[p]) / self.samples,
                       "neuron_updates": int(self.neuron_updates[p]) / self.samples}
                for p, name in enumerate(self.names)}


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
