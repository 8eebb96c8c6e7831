"""Published per-inference measurements on silicon, rebuilt, run in the engine and billed.

Each :class:`Workload` is a network of the published size with its activity set
exactly by a constant drive (a population's bias; weights are zero, so a neuron
fires every ``period`` steps whatever it receives, and every synapse of a spike is
still one synaptic operation). ``activity`` says where the activity comes from:
``stated`` (published), ``derived`` (computed from published figures) or
``assumed`` (not published; the row's note gives how much the result moves with it).

The constants that no source gives directly are fitted on one measurement by the
pure functions :func:`derived_constants` returns; the shipped profiles hold those
numbers (evidence ``derived``) and ``tests/test_neuro/test_calibration.py``
recomputes them from the workloads, so a TOML figure is checked, never pasted.
A row whose measurement fitted a constant is ``used_for_fit``; only the others
check the model. Sources: shared/reference/hardware.md section 7.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

import hardware_profiles as hp
import neuro
from neuro import encode, ir
from neuro.billing import ann_energies, bill
from neuro.mapping import map_to_profile
from neuro.structure import ann_workload

__all__ = ["Row", "Workload", "blouw_kws", "pilotnet_lif", "speck_dvs", "xylo_kws", "run", "derived_constants",
           "calibration_rows", "BLOUW", "PILOTNET", "SPECK", "XYLO"]

# Blouw, Choo, Hunsberger, Eliasmith, NICE 2019 (arXiv 1812.01739), Table 1: Loihi keyword spotting
BLOUW = {"sizes": (390, 256, 256, 29), "per_second": 296.0, "dynamic_j": 2.7e-4, "idle_w": 0.029,
         "devices_j": {"CPU": 6.3e-3, "GPU": 2.98e-2, "Jetson TX1": 5.6e-3, "Movidius NCS": 1.5e-3},
         # not published: one spike per neuron every 10 steps (100 Hz at Nengo's 1 ms dt), halved and
         # doubled in the row's note to show how much the fit depends on it
         "assumed_period": 10}
# lava-nc/lava-dl tutorials/lava/lib/dl/netx/pilotnet_snn/benchmark.ipynb (stored outputs): PilotNet LIF
# on Loihi 2; reset_interval = 16 steps per frame and the compiler's 74 cores are in the same notebook
PILOTNET = {"per_second": 408.9, "dynamic_j": 1.09e-3, "total_j": 1.66e-3, "static_w": 0.232, "steps": 16,
            "toolchain_cores": 74,
            # (out channels, stride (h, w), padding (h, w)) of the 3x3 convolutions, then the dense sizes
            "input": (3, 66, 200), "convs": ((24, (2, 2), (0, 0)), (36, (2, 2), (0, 0)), (48, (2, 2), (0, 0)),
                                             (64, (2, 1), (1, 0)), (64, (1, 1), (0, 0))),
            "dense": (100, 50, 10, 1)}
# Yao et al., Nat. Commun. 15:4464, 2024, Table 1 (Speck): resting power, and per operating point the
# total power and spikes per sample; DVS Gesture windows are 540 ms. Each spike of the 3x3 convolutions
# with 32 output channels reaches 32 x 3 x 3 = 288 synapses (the reading in hardware.md section 7).
SPECK = {"resting_w": 0.42e-3, "window_s": 0.54, "fan_out": 32 * 3 * 3,
         "points": (("DVS Gesture, vanilla SNN", 9.5e-3, 1.0e6, True),
                    ("DVS Gesture, attention-based dynamic SNN", 3.8e-3, 0.4e6, False),
                    ("gait, day", 16.1e-3, 2.9e6, False),
                    ("gait, night", 46.8e-3, 3.3e6, False))}
# Bos and Muir, arXiv 2406.15112, 2024: Xylo Audio 2, "Aloha" keyword spotting, dynamic power and energy
# (16 input channels, 1000 hidden, 8 outputs: the chip's full size, rockpool docs; the paper's own layer
# sizes are not in our notes, and the bill does not depend on them: all of it is per core-step)
XYLO = {"dynamic_w": 291e-6, "dynamic_j": 6.6e-6, "inputs": 16, "sizes": (1000, 8)}


@dataclass(frozen=True)
class Workload:
    """A published network rebuilt as a graph whose activity a constant drive sets."""

    chip: str
    name: str
    source: str
    graph: ir.Graph
    steps: int
    activity: str  # stated, derived or assumed
    scale: float = 1.0  # counts are multiplied by this (a scaled-down network stands for the published one)


@dataclass(frozen=True)
class Row:
    """One measurement beside the model's figure for it."""

    chip: str
    workload: str
    source: str
    unit: str  # "j_per_inference" or "w"
    published: float
    modelled: float
    used_for_fit: bool
    activity: str
    note: str = ""

    @property
    def gap(self) -> float:
        return self.modelled / self.published - 1

    def to_row(self) -> dict:
        return {"chip": self.chip, "workload": self.workload, "source": self.source,
                f"published_{self.unit}": self.published, "modelled": self.modelled, "gap": self.gap,
                "used_for_fit": self.used_for_fit, "activity": self.activity, "note": self.note}


def layered(sizes, periods, *, inputs: int = 1) -> ir.Graph:
    """Dense layers of IF neurons after ``inputs`` input channels; layer i fires every ``periods[i]``
    steps (never when None).

    The input is silent, so the drive (the layers' bias) costs no synaptic operation; every weight is
    zero, so a spike's synapses are counted but move no potential.
    """
    nodes: dict[str, ir.Node] = {"in": ir.Input((inputs,))}
    edges, previous, width = [], "in", inputs
    for i, (size, period) in enumerate(zip(sizes, periods, strict=True)):
        threshold = 1.0 if period is None else float(period)
        nodes[f"w{i}"] = ir.Dense(np.zeros((size, width)), bias=np.full(size, 0.0 if period is None else 1.0))
        nodes[f"l{i}"] = ir.IF.uniform((size,), v_threshold=threshold)
        edges += [(previous, f"w{i}"), (f"w{i}", f"l{i}")]
        previous, width = f"l{i}", size
    return ir.Graph(nodes=nodes, edges=tuple(edges))


def _silent_input(graph: ir.Graph) -> np.ndarray:
    (name,) = graph.inputs
    return np.zeros((1, *graph.shapes[name]))


def blouw_kws(period: int | None = None) -> Workload:
    """390-256-256-29 on Loihi: the 390 input features as spiking neurons, then the three layers."""
    profile = hp.load("loihi")
    period = BLOUW["assumed_period"] if period is None else period
    # steps per inference: the published throughput at the profile's unthrottled step time
    steps = round(1 / (BLOUW["per_second"] * profile.cost.time_step_s))
    return Workload("loihi", "keyword spotting 390-256-256-29 (Blouw 2019)", "Blouw et al. 2019, Table 1",
                    layered(BLOUW["sizes"], [period] * 4), steps, "assumed")


def pilotnet_lif() -> Workload:
    """PilotNet's five 3x3 convolutions and four dense layers on Loihi 2, 16 steps per frame.

    Activity does not enter the Loihi 2 bill (its one measurement fits a per-core-step cost, every
    operation priced inside it), so the network is silent."""
    nodes: dict[str, ir.Node] = {"in": ir.Input(PILOTNET["input"])}
    edges, previous, channels = [], "in", PILOTNET["input"][0]
    for i, (out, stride, padding) in enumerate(PILOTNET["convs"]):
        nodes[f"c{i}"] = ir.Conv2d(np.zeros((out, channels, 3, 3)), stride=stride, padding=padding)
        edges.append((previous, f"c{i}"))
        shape = ir.Graph(nodes={**nodes}, edges=tuple(edges)).shapes[f"c{i}"]
        nodes[f"l{i}"] = ir.IF.uniform(shape)
        edges.append((f"c{i}", f"l{i}"))
        previous, channels = f"l{i}", out
    nodes["flat"] = ir.Flatten()
    edges.append((previous, "flat"))
    previous, width = "flat", int(np.prod(ir.Graph(nodes=nodes, edges=tuple(edges)).shapes["flat"]))
    for i, size in enumerate(PILOTNET["dense"]):
        nodes[f"d{i}"] = ir.Dense(np.zeros((size, width)))
        nodes[f"m{i}"] = ir.IF.uniform((size,))
        edges += [(previous, f"d{i}"), (f"d{i}", f"m{i}")]
        previous, width = f"m{i}", size
    return Workload("loihi2", "PilotNet LIF, 200x66x3 frames (lava-dl benchmark)", "lava-dl pilotnet_snn benchmark",
                    ir.Graph(nodes=nodes, edges=tuple(edges)), PILOTNET["steps"], "not needed")


def speck_dvs(spikes: float, n: int = 1000, period: int = 10, steps: int = 100) -> Workload:
    """``spikes`` per window at Speck's fan-out of 288: n neurons firing every ``period`` steps, each
    spike to 288 (silent) neurons, the counts scaled up to the published spike count."""
    graph = layered((n, SPECK["fan_out"]), (period, None))
    return Workload("speck", "", "Yao et al. 2024, Table 1", graph, steps, "stated",
                    scale=spikes / (n * (steps // period)))


def xylo_kws() -> Workload:
    """16-1000-8 on Xylo Audio 2 for the published inference time, 6.6 uJ / 291 uW, in whole 1 ms steps."""
    profile = hp.load("xylo")
    steps = round(XYLO["dynamic_j"] / XYLO["dynamic_w"] / profile.cost.time_step_s)
    return Workload("xylo", "Aloha keyword spotting (Bos and Muir 2024)", "Bos and Muir 2024",
                    layered(XYLO["sizes"], (None,) * 2, inputs=XYLO["inputs"]), steps, "not needed")


@dataclass(frozen=True)
class Billed:
    """A workload's bill: dynamic joules by component (static apart) and what the mapping used."""

    components_j: dict[str, float]
    static_j: float
    cores: int
    chips: int
    synops: float

    @property
    def dynamic_j(self) -> float:
        return sum(self.components_j.values())


def run(workload: Workload, cost: hp.CostModel | None = None) -> Billed:
    """Map, simulate and bill one workload on its chip (with ``cost`` in place of the profile's)."""
    profile = hp.load(workload.chip)
    if cost is not None:
        profile = dataclasses.replace(profile, cost=cost)
    mapped = map_to_profile(workload.graph, profile)
    result = neuro.simulate(neuro.compile_network(workload.graph), encode.constant(_silent_input(workload.graph)),
                            timesteps=workload.steps)
    totals = result.counters.totals()
    scaled = dataclasses.replace(totals, synops=totals.synops * workload.scale,
                                 events=totals.events * workload.scale,
                                 neuron_updates=totals.neuron_updates * workload.scale)
    spikes = {name: result.spike_counts[:, part].sum(axis=0) * workload.scale for name, part in result.slices.items()}
    charge = bill(mapped, profile, scaled, spikes, steps=workload.steps)
    components = dict(charge.energy.components_j)
    static = components.pop("static", 0.0)
    return Billed(components, static, mapped.cores, mapped.chips, float(scaled.synops.sum()))


def _without_overheads(chip: str) -> hp.CostModel:
    return dataclasses.replace(hp.load(chip).cost, core_step_j=None, chip_step_j=None)


def overhead_per_step(dynamic_j: float, billed_j: float, units: int, steps: int) -> float:
    """The per-unit-step overhead that makes a bill of ``billed_j`` (without it) equal ``dynamic_j``."""
    return (dynamic_j - billed_j) / (units * steps)


def derived_constants() -> dict[str, float]:
    """Every fitted constant of the shipped profiles, in SI units, keyed ``profile:cost.key``.

    Loihi: the per-chip step overhead is the published dynamic energy less what the per-operation
    costs bill, over the steps. Loihi 2 and Xylo: one measurement each fits one per-core-step cost, every
    operation priced inside it. Speck: the dynamic energy of the fitting operating point over its
    synaptic operations."""
    blouw = blouw_kws()
    ops = run(blouw, _without_overheads("loihi"))
    pilot = pilotnet_lif()
    pilot_billed = run(pilot, _without_overheads("loihi2"))
    _, power, spikes, _ = SPECK["points"][0]
    speck = run(speck_dvs(spikes), dataclasses.replace(hp.load("speck").cost, synop_j=1.0))
    xylo = xylo_kws()
    xylo_billed, xylo_step = run(xylo, _without_overheads("xylo")), hp.load("xylo").cost.time_step_s
    return {
        "loihi:cost.chip_step_pj": overhead_per_step(BLOUW["dynamic_j"], ops.dynamic_j, ops.chips, blouw.steps),
        "loihi2:cost.time_step_s": 1 / (PILOTNET["per_second"] * PILOTNET["steps"]),
        "loihi2:cost.core_step_pj": overhead_per_step(PILOTNET["dynamic_j"], pilot_billed.dynamic_j,
                                                      pilot_billed.cores, pilot.steps),
        "speck:cost.synop_pj": (power - SPECK["resting_w"]) * SPECK["window_s"] / speck.synops,
        # the measured dynamic power over one step of the chip's one core, less what its operations bill
        "xylo:cost.core_step_pj": overhead_per_step(XYLO["dynamic_w"] * xylo_step * xylo.steps,
                                                    xylo_billed.dynamic_j, xylo_billed.cores, xylo.steps),
    }


def _loihi_rows() -> list[Row]:
    blouw = blouw_kws()
    billed = run(blouw)
    sensitivity = []
    for period in (BLOUW["assumed_period"] // 2, BLOUW["assumed_period"] * 2):
        ops = run(blouw_kws(period), _without_overheads("loihi"))
        fitted = overhead_per_step(BLOUW["dynamic_j"], ops.dynamic_j, ops.chips, blouw.steps)
        sensitivity.append(f"{fitted * 1e9:.0f} nJ at one spike per {period} steps")
    fit = Row("loihi", blouw.name, blouw.source, "j_per_inference", BLOUW["dynamic_j"], billed.dynamic_j, True,
              blouw.activity, f"dynamic energy; fits chip_step_pj on {blouw.steps} steps "
                              f"({BLOUW['per_second']:g} inferences/s at the "
                              f"{hp.load('loihi').cost.time_step_s * 1e6:g} us step); activity not published, "
                              "the fit would be "
                              + ", ".join(sensitivity) + "; the chip has no independent per-inference check")
    sanafe = dataclasses.replace(hp.load("loihi").cost, synop_j=35.5e-12, neuron_update_j=(51.2 + 21.6) * 1e-12,
                                 spike_j=(69.3 + 111.0) * 1e-12, core_step_j=None, chip_step_j=None)
    per_op = run(blouw, sanafe)
    held = Row("loihi", blouw.name, "SANA-FE silicon-fitted per-operation costs (Boyle et al. 2025)",
               "j_per_inference", BLOUW["dynamic_j"], per_op.dynamic_j, False, blouw.activity,
               "per-operation costs alone, no step overhead: how far silicon-fitted op costs get without it")
    return [fit, held]


def _loihi2_rows() -> list[Row]:
    pilot = pilotnet_lif()
    billed = run(pilot)
    return [Row("loihi2", pilot.name, pilot.source, "j_per_inference", PILOTNET["total_j"],
                billed.dynamic_j + billed.static_j, True, pilot.activity,
                f"total ({PILOTNET['static_w']:g} W static); fits core_step_pj on {billed.cores} mapped cores x "
                f"{pilot.steps} steps (the toolchain used {PILOTNET['toolchain_cores']}, with the input layer on "
                f"cores) and the step time 1 / ({PILOTNET['per_second']:g} frames/s x {PILOTNET['steps']}); the "
                "chip has no independent per-inference check (the sigma-delta PilotNet run is host-I/O bound)")]


def _speck_rows() -> list[Row]:
    rows = []
    for name, power, spikes, fit in SPECK["points"]:
        workload = speck_dvs(spikes)
        cost = dataclasses.replace(hp.load("speck").cost, time_step_s=SPECK["window_s"] / workload.steps)
        billed = run(workload, cost)
        window_ms = f"{SPECK['window_s'] * 1e3:g} ms"
        note = (f"{spikes:.1e} spikes per {window_ms} window at a fan-out of {SPECK['fan_out']}; "
                + ("fits synop_pj" if fit else "held out"))
        if name.startswith("gait"):
            note += f"; the gait windows are not in our notes, taken as {window_ms} like DVS Gesture"
        rows.append(Row("speck", name, workload.source, "w", power,
                        (billed.dynamic_j + billed.static_j) / SPECK["window_s"], fit, "stated", note))
    return rows


def _xylo_rows() -> list[Row]:
    xylo = xylo_kws()
    billed = run(xylo)
    return [Row("xylo", xylo.name, xylo.source, "j_per_inference", XYLO["dynamic_j"], billed.dynamic_j, True,
                xylo.activity, f"dynamic; fits core_step_pj = {XYLO['dynamic_w'] * 1e6:g} uW x "
                               f"{hp.load('xylo').cost.time_step_s * 1e3:g} ms over the {billed.cores} mapped cores "
                               f"(one population each); the inference, {XYLO['dynamic_j'] * 1e6:g} uJ / "
                               f"{XYLO['dynamic_w'] * 1e6:g} uW, rounded to {xylo.steps} whole steps; the chip has "
                               "no independent check")]


def _ann_rows() -> list[Row]:
    inputs, *layers = BLOUW["sizes"]  # the ANN: 390 features in, three dense layers
    energies = ann_energies(ann_workload(layered(layers, (None,) * len(layers), inputs=inputs)))
    rows = []
    for device, measured in BLOUW["devices_j"].items():
        profile = {"CPU": "cpu", "GPU": "gpu"}.get(device, "horowitz45nm")
        kind = ("system-level energy per MAC (KerasSpiking table)" if profile != "horowitz45nm"
                else "arithmetic bound: FP32 MACs and weight reads at 45 nm, not a model of this device")
        rows.append(Row(profile, f"Blouw's 390-256-256-29 network, measured on {device}", "Blouw et al. 2019",
                        "j_per_inference", measured, energies[profile], False, "not needed",
                        f"{kind}; the measurement includes batch-1 runtime overheads no MAC count sees"))
    return rows


def _regular_rows() -> list[Row]:
    """TrueNorth and SpiNNaker against whole-chip power, as before (scaled-down networks)."""
    truenorth = hp.load("truenorth")
    n, scale, steps = 4096, 256, 1000  # 16 cores' worth, counts scaled to 1 M neurons
    tn = run(Workload("truenorth", "", "", layered((n, 128), (50, None)), steps, "stated", scale=scale))
    tn_w = (tn.components_j["synops"] + truenorth.cost.static_per_chip_w * steps * truenorth.cost.time_step_s) / (
        steps * truenorth.cost.time_step_s)
    rows = [Row("truenorth", "1 M neurons, 20 Hz, 128 synapses each, real time", source, "w", watts, tn_w, False,
                "stated", "billed with the affine fit at 0.8 V (Akopyan 2015 Fig. 17), synaptic ops and static "
                "only; the same group's measurements, not fully independent")
            for source, watts in (("Akopyan et al. 2015, 0.75 V", 65e-3), ("Merolla et al. 2014, 0.775 V", 72e-3))]
    spinnaker = hp.load("spinnaker")
    n, synapses, steps = 10_000, 400, 1000
    sp = run(Workload("spinnaker", "", "", layered((n, synapses), (100, None)), steps, "stated"))
    seconds = steps * spinnaker.cost.time_step_s
    measured_j = n * steps * 100e-9 + sp.synops * 43e-9  # Sharp 2012: per neuron per ms, per PSP
    rows.append(Row("spinnaker", "10 k neurons, 4 M synapses, 10 Hz, 4 chips, real time", "Sharp et al. 2012", "w",
                    measured_j / seconds, (sp.dynamic_j + spinnaker.cost.static_per_chip_w * 4 * seconds) / seconds,
                    False, "stated", "Stromatias 2013 marginals plus idle chip power against Sharp's measured fit"))
    return rows


def calibration_rows() -> list[Row]:
    """Every measurement beside the model: the fitted rows and the held-out ones."""
    return [*_loihi_rows(), *_loihi2_rows(), *_speck_rows(), *_xylo_rows(), *_regular_rows(), *_ann_rows()]
