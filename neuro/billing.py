"""What one run of a mapped network costs on its chip: exact counts by kind, then joules.

The engine's counters are integers per population. They are summed over every
sample of a run and split by kind where they occur (a synaptic operation from a
graded source is a multiply-accumulate, one from a binary spike is not), all in
integers; only the final figures per inference are divided by the number of
samples. No count is ever recovered by subtracting one rounded average from
another, so the kinds add up to the total exactly and none comes out negative.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hardware_profiles import EnergyBreakdown
from neuro import ir
from neuro.mapping import Mapped
from neuro.results import CounterTotals, SimResult
from neuro.structure import AnnWorkload

__all__ = ["Bill", "bill", "bill_result", "HardwareFigures", "EventCounts", "count_events", "ann_energies",
           "hardware_figures", "ANN_BASELINES"]

ANN_BASELINES = ("horowitz45nm", "gpu", "cpu")


@dataclass(frozen=True)
class EventCounts:
    """Exact integer counts of a run over ``samples`` inferences, by the kinds a profile bills."""

    samples: int
    synops: int  # from binary spikes
    graded_synops: int  # from graded events: analog input, sigma-delta and product populations
    neuron_updates: int
    events: int  # spikes emitted by the network's populations (the encoded input is not a spike on chip)
    routed_events: int
    hops: int
    chip_crossings: int

    def per_inference(self) -> dict[str, float]:
        """The billed kinds (keys of :data:`hardware_profiles.EVENT_COSTS`) per inference."""
        return {kind: getattr(self, kind) / self.samples
                for kind in ("synops", "graded_synops", "neuron_updates", "events", "hops", "chip_crossings")}


def graded_sources(graph: ir.Graph) -> set[str]:
    """Populations whose events carry a value: each of their synaptic operations is a multiply-accumulate."""
    return set(graph.inputs) | {n for n, node in graph.nodes.items() if isinstance(node, ir.GRADED_TYPES)}


def _by_kind(totals: CounterTotals, graph: ir.Graph) -> dict[str, dict[str, int]]:
    """Every population's integer totals by billed kind: its synaptic operations are graded or not by
    what it sends, and the encoded input's events are not spikes on the chip."""
    graded = graded_sources(graph)
    return {name: {("graded_synops" if name in graded else "synops"): int(totals.synops[p]),
                   "neuron_updates": int(totals.neuron_updates[p]),
                   "events": 0 if name in graph.inputs else int(totals.events[p])}
            for p, name in enumerate(totals.names)}


def count_events(mapped: Mapped, totals: CounterTotals, spikes_by_population: dict[str, np.ndarray]) -> EventCounts:
    """Split a run's integer totals by billed kind.

    ``spikes_by_population`` holds each population's per-neuron spike counts summed
    over the run (integers), from which routing is counted.
    """
    if totals.samples < 1:
        raise ValueError("no samples were run: nothing to bill")
    kinds = {"synops": 0, "graded_synops": 0, "neuron_updates": 0, "events": 0}
    for population in _by_kind(totals, mapped.graph).values():
        for kind, count in population.items():
            kinds[kind] += count
    traffic = mapped.traffic({n: np.asarray(c, np.int64) for n, c in spikes_by_population.items()})
    return EventCounts(samples=totals.samples, **kinds, routed_events=int(traffic["routed_events"]),
                       hops=int(traffic["hops"]), chip_crossings=int(traffic["chip_crossings"]))


def ann_energies(workload: AnnWorkload, ann_baseline: str = "horowitz45nm") -> dict[str, float]:
    """Energy of the ANN's ``workload`` on each ANN baseline device (and on ``ann_baseline``)."""
    import hardware_profiles

    energies = {}
    for device in dict.fromkeys((*ANN_BASELINES, ann_baseline)):
        cost = hardware_profiles.load(device).cost
        energies[device] = hardware_profiles.ann_energy(cost, macs=workload.macs, activations=workload.activations,
                                                        weight_bytes=workload.weight_bytes_fp32).total_j
    return energies


@dataclass(frozen=True)
class Bill:
    """What one inference costs on a chip, by component and by population, beside the ANN's cost."""

    counts: EventCounts
    energy: EnergyBreakdown
    by_population_j: dict[str, dict[str, float]]
    ann_j_by_device: dict[str, float]  # empty when no ANN workload was given
    steps: int

    @property
    def energy_j(self) -> float | None:
        return self.energy.total_j

    @property
    def latency_s(self) -> float | None:
        return self.energy.latency_s


def bill(mapped: Mapped, profile, totals: CounterTotals, spikes_by_population: dict[str, np.ndarray], *,
         steps: int, workload: AnnWorkload | None = None, ann_baseline: str = "horowitz45nm") -> Bill:
    """The one billing function: a run's integer counters, its mapping and the chip profile give the
    energy and latency per inference by component (and by population), and the ANN baselines' energy
    for the ANN's ``workload``. ``neuro run``, ``neuro bench``, the demo and the notebooks all bill here."""
    import hardware_profiles

    counts = count_events(mapped, totals, spikes_by_population)
    energy = hardware_profiles.estimate(profile.cost, counts.per_inference(), steps=steps, chips=mapped.chips,
                                        cores=mapped.cores)
    # a population's share of the per-core step overhead is its own cores (partition gives each
    # population cores of its own); static power and the per-chip overhead belong to the chip
    by_population = {
        name: hardware_profiles.estimate(profile.cost, {k: n / totals.samples for k, n in kinds.items()},
                                         steps=steps, chips=0, cores=mapped.cores_of(name)).components_j
        for name, kinds in _by_kind(totals, mapped.graph).items()}
    ann = {} if workload is None else ann_energies(workload, ann_baseline)
    return Bill(counts=counts, energy=energy, by_population_j=by_population, ann_j_by_device=ann, steps=steps)


def bill_result(mapped: Mapped, profile, result: SimResult, *, workload: AnnWorkload | None = None,
                ann_baseline: str = "horowitz45nm") -> Bill:
    """:func:`bill` for one :class:`~neuro.results.SimResult` of the mapped network (a notebook's call)."""
    spikes = {name: result.spike_counts[:, part].sum(axis=0) for name, part in result.slices.items()}
    return bill(mapped, profile, result.counters.totals(), spikes, steps=result.timesteps, workload=workload,
                ann_baseline=ann_baseline)


@dataclass(frozen=True)
class HardwareFigures:
    """A run's fit, energy and latency on a chip, and the ANN baselines: the hardware half of a results row."""

    profile: str
    fits: bool
    cores: int
    chips: int
    utilisation: dict[str, float]
    violations: tuple[str, ...]
    mapping_notes: tuple[str, ...]
    bill: Bill
    ann_baseline: str
    ann_macs_per_inference: float

    def to_row(self) -> dict:
        """The fields of a results row (results.json keeps these keys)."""
        energy, counts = self.bill.energy, self.bill.counts
        return {
            "profile": self.profile, "fits": self.fits, "cores": self.cores, "chips": self.chips,
            "utilisation": dict(self.utilisation), "violations": list(self.violations),
            "mapping_notes": list(self.mapping_notes),
            "energy_j_per_inference": energy.total_j, "energy_components_j": dict(energy.components_j),
            "energy_not_billed": list(energy.not_billed), "energy_by_population_j": self.bill.by_population_j,
            "latency_s_per_inference": energy.latency_s,
            "routed_events_per_inference": counts.routed_events / counts.samples,
            "event_counts_per_inference": counts.per_inference(),
            "ann_baseline": self.ann_baseline,
            "ann_energy_j_per_inference": self.bill.ann_j_by_device[self.ann_baseline],
            "ann_energy_j_by_device": dict(self.bill.ann_j_by_device),
            "ann_macs_per_inference": self.ann_macs_per_inference,
        }


def hardware_figures(mapped: Mapped, profile, totals: CounterTotals, spikes_by_population: dict[str, np.ndarray],
                     workload: AnnWorkload, ann_baseline: str, steps: int) -> HardwareFigures:
    """Fit, energy and latency per inference on a chip, and the energy of the ANN's ``workload``
    on the ANN baselines."""
    charge = bill(mapped, profile, totals, spikes_by_population, steps=steps, workload=workload,
                  ann_baseline=ann_baseline)
    return HardwareFigures(profile=profile.name, fits=mapped.fits, cores=mapped.cores, chips=mapped.chips,
                           utilisation=dict(mapped.utilisation), violations=tuple(str(v) for v in mapped.violations),
                           mapping_notes=tuple(mapped.notes), bill=charge, ann_baseline=ann_baseline,
                           ann_macs_per_inference=workload.macs)
