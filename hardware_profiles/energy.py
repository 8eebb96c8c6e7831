"""Energy and latency per inference from event counts and a profile's cost model.

The model is affine: static power over the run time, for each kind of event
its count times its marginal energy, and a per-step overhead for each core and
each chip in use (``core_steps``, ``chip_steps``: what silicon spends every step
whatever the activity). A cost the profile does not give is not billed and is
named in ``not_billed`` (an overhead term a profile omits is simply not part of
its model); amortised cross-check figures are never added. Pure functions: counts in, a frozen breakdown out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hardware_profiles.profile import CostModel

__all__ = ["EnergyBreakdown", "estimate", "ann_energy", "EVENT_COSTS"]

SYNAPTIC_KINDS = frozenset({"synops", "graded_synops"})

# counter name -> cost-model field that bills it
EVENT_COSTS = {
    "synops": "synop_j",
    "graded_synops": "graded_synop_j",
    "neuron_updates": "neuron_update_j",
    "events": "spike_j",
    "hops": "hop_j",
    "chip_crossings": "chip_crossing_j",
}


@dataclass(frozen=True)
class EnergyBreakdown:
    """Joules per inference by component, the latency, and what could not be billed.

    ``total_j`` is ``None`` when the synaptic operations (binary or graded), the
    bulk of the dynamic energy, cannot be billed: a partial figure would mislead.
    """

    components_j: dict[str, float]
    latency_s: float | None
    not_billed: tuple[str, ...]
    total_j: float | None = field(default=None)

    @property
    def complete(self) -> bool:
        return not self.not_billed


def estimate(cost: CostModel, counts: dict[str, float], *, steps: int, chips: int = 1,
             cores: int = 0) -> EnergyBreakdown:
    """Energy of one inference.

    Parameters
    ----------
    cost
        The profile's cost model (SI units).
    counts
        Events of one inference by kind (keys of :data:`EVENT_COSTS`); a kind
        that did not occur may be absent or zero.
    steps
        Time steps the inference ran; with the profile's step time this gives
        the latency, over which static power is billed.
    chips
        Chips in use (static power and the per-chip step overhead are per chip).
    cores
        Cores in use (the per-core step overhead is per core).
    """
    unknown = set(counts) - set(EVENT_COSTS)
    if unknown:
        raise ValueError(f"unknown event kinds {sorted(unknown)}; known: {sorted(EVENT_COSTS)}")
    components, missing = {}, []
    for kind, attribute in EVENT_COSTS.items():
        count = float(counts.get(kind, 0.0))
        if count < 0:
            raise ValueError(f"count of {kind} is negative")
        price = getattr(cost, attribute)
        if kind == "graded_synops" and price is None:
            price = cost.synop_j  # a graded event billed as an ordinary synaptic op when no MAC cost is given
        if count == 0:
            continue
        if price is None:
            missing.append(kind)
        else:
            components[kind] = count * price
    for name, price, units in (("core_steps", cost.core_step_j, cores), ("chip_steps", cost.chip_step_j, chips)):
        if price is not None and units * steps > 0:
            components[name] = price * units * steps
    latency = None if cost.time_step_s is None else steps * cost.time_step_s
    if cost.static_per_chip_w is None:
        missing.append("static")
    elif latency is None:
        missing.append("static (no time step to bill it over)")
    else:
        components["static"] = cost.static_per_chip_w * chips * latency
    # synaptic operations, binary or graded, are the bulk of the dynamic energy: without them a total would mislead
    total = None if (SYNAPTIC_KINDS & set(missing) or not components) else sum(components.values())
    return EnergyBreakdown(components_j=components, latency_s=latency, not_billed=tuple(missing), total_j=total)


def ann_energy(cost: CostModel, *, macs: float, activations: float, weight_bytes: float) -> EnergyBreakdown:
    """Energy of one ANN inference on a device: MACs, activations and weight reads."""
    if cost.mac_j is None:
        raise ValueError("this profile has no MAC energy; it is not an ANN baseline")
    components = {"macs": macs * cost.mac_j}
    for name, count, price in (("activations", activations, cost.activation_j),
                               ("weight_reads", weight_bytes, cost.weight_read_j_per_byte)):
        if price is not None:
            components[name] = count * price
    return EnergyBreakdown(components_j=components, latency_s=None, not_billed=(),
                           total_j=sum(components.values()))
