"""Billing counts every kind where it occurs: exact integers that add up, whatever the batch sizes."""

import numpy as np
import pytest

import hardware_profiles as hp
import neuro
from neuro import encode, ir
from neuro.app.evaluate import evaluate_graph
from neuro.billing import bill, bill_result, count_events
from neuro.datasets import Dataset
from neuro.mapping import map_to_profile
from neuro.results import CounterTotals

from .networks import build_graded_network, dyadic
from .test_mapping import TEMPLATE, chip

GRADED_CHIP = '["Dense", "Sparse", "SigmaDelta", "Product", "IF"]'


def _data(shape, samples: int, seed: int = 3) -> Dataset:
    rng = np.random.default_rng(seed)
    x = rng.random((samples, *shape))
    y = rng.integers(0, 2, samples)
    return Dataset("synthetic", x, y, x, y, 2)


def _mixed_network() -> ir.Graph:
    """Analog input (graded synaptic operations into 'h') and IF spikes (ordinary ones into 'out')."""
    rng = np.random.default_rng(5)
    return ir.Graph(nodes={"in": ir.Input((6,)), "w1": ir.Dense(dyadic(rng, (9, 6))),
                           "h": ir.IF.uniform((9,), v_threshold=0.75),
                           "w2": ir.Dense(dyadic(rng, (2, 9))), "out": ir.IF.uniform((2,))},
                    edges=(("in", "w1"), ("w1", "h"), ("h", "w2"), ("w2", "out")))


def _reference_totals(graph: ir.Graph, x: np.ndarray, timesteps: int, drive=encode.constant) -> tuple:
    """A second count, independent of evaluate_graph's batching: one run of the dense oracle over every sample."""
    net = neuro.compile_network(graph)
    result = neuro.simulate(net, drive(x), timesteps=timesteps, kernel="reference")
    synops = {name: int(result.counters.synops[:, p].sum()) for p, name in enumerate(net.names)}
    return synops, result


@pytest.mark.parametrize("samples, batch_size", [(7, 3), (11, 4), (5, 5)])
def test_a_network_of_graded_events_bills_without_error_and_its_kinds_add_up(samples, batch_size):
    # every synaptic operation here comes from a graded source (the input, sigma-delta and product
    # populations): the ordinary synops are exactly zero, never a rounding residue below it
    graph = build_graded_network(seed=11, threshold_eighths=1, activation="hard_sigmoid", recurrent=True)
    profile = chip(neurons=64, supports=GRADED_CHIP)
    data = _data((3,), samples)
    row = evaluate_graph(graph, data, timesteps=9, profile=profile, readout="value", batch_size=batch_size,
                         show_progress=False).to_row()
    counts = row["event_counts_per_inference"]
    assert counts["synops"] == 0.0
    assert counts["graded_synops"] == row["synops_per_inference"] > 0
    assert row["energy_j_per_inference"] is not None
    # the graded total equals the oracle's count over all samples at once, divided once
    mapped = map_to_profile(graph, profile)
    synops, _ = _reference_totals(mapped.graph, data.x_test, 9)
    assert counts["graded_synops"] == sum(synops.values()) / samples


@pytest.mark.parametrize("samples, batch_size", [(7, 3), (13, 5)])
def test_mixed_kinds_are_split_where_they_occur_and_add_up_exactly(samples, batch_size):
    graph = _mixed_network()
    profile = chip(neurons=4)  # several cores: the hidden spikes are routed
    data = _data((6,), samples)
    evaluation = evaluate_graph(graph, data, timesteps=12, profile=profile, batch_size=batch_size,
                                show_progress=False)
    row = evaluation.to_row()
    # the typed value and its row agree; the row's figures are derived from the exact totals
    assert evaluation.hardware.bill.counts.samples == evaluation.counts.samples == samples
    assert row["synops_per_inference"] == evaluation.counts.total("synops") / samples
    mapped = map_to_profile(graph, profile)
    synops, result = _reference_totals(mapped.graph, data.x_test, 12)
    counts = row["event_counts_per_inference"]
    # by hand: the input's synaptic operations are graded (multiply-accumulates), the spikes' are not
    assert counts["graded_synops"] == synops["in"] / samples
    assert counts["synops"] == (synops["h"] + synops["out"]) / samples
    assert synops["h"] > 0 and synops["in"] > 0
    # spikes: events of the populations, not of the input
    spikes = int(result.counters.events[:, 1:].sum())
    assert counts["events"] == spikes / samples
    # the integer kinds add up to the total exactly
    net = neuro.compile_network(mapped.graph)
    totals = result.counters.totals()
    per_neuron = {name: result.spike_counts[:, net.slice_of(name)].sum(axis=0) for name in net.names}
    exact = count_events(mapped, totals, per_neuron)
    assert exact.synops + exact.graded_synops == totals.total("synops") == sum(synops.values())
    assert exact.samples == samples
    # routing from integer spike totals: h sits on 3 cores, out on another; every h spike takes one route
    assert exact.routed_events == int(result.counters.events[:, 1].sum())
    assert row["routed_events_per_inference"] == int(result.counters.events[:, 1].sum()) / samples


def test_counter_totals_add_over_batches_as_integers():
    names = ("in", "h")
    a = CounterTotals(names, 3, np.array([1, 2]), np.array([3, 4]), np.array([5, 6]))
    b = CounterTotals(names, 4, np.array([10, 20]), np.array([30, 40]), np.array([50, 60]))
    both = a + b
    assert both.samples == 7 and both.total("synops") == 77 and both.total("events", ["h"]) == 22
    assert both.per_inference()["neuron_updates"] == 121 / 7
    assert both.by_population()["in"]["synops"] == 33 / 7
    with pytest.raises(ValueError, match="different networks"):
        a + CounterTotals(("x", "y"), 1, *(np.zeros(2, np.int64),) * 3)
    assert (CounterTotals.empty(names) + a).total("events") == 3


def test_the_energy_model_refuses_a_negative_count():
    # the guard that caught the old subtraction stays: a negative count is a bug upstream, not a cost
    profile = hp.load("loihi")
    with pytest.raises(ValueError, match="negative"):
        hp.estimate(profile.cost, {"synops": -1e-12}, steps=1)


# a profile whose every billed kind has its own price, static power included (prices in joules below)
PRICED = ('graded_synop_pj = { value = 3.0, source = "test", evidence = "estimated" }\n'
          'static_per_chip_mw = { value = 5.0, source = "test", evidence = "estimated" }\n')
SYNOP, GRADED, UPDATE, SPIKE, STATIC_W, STEP_S = 1e-12, 3e-12, 0.5e-12, 2e-12, 5e-3, 1e-3


def _priced_chip(neurons=4):
    return hp.parse(TEMPLATE.format(neurons=neurons, max_chips=1, extra="",
                                    supports='["IF", "Dense"]') + PRICED, "tiny")


def _hand_totals(samples):
    """Counters of the mixed network ('in', 'h', 'out') over ``samples`` inferences, made up by hand."""
    return CounterTotals(names=("in", "h", "out"), samples=samples, events=np.array([20, 6, 2]),
                         synops=np.array([40, 12, 0]), neuron_updates=np.array([0, 36, 8]))


def test_a_run_of_no_samples_is_refused_and_a_run_of_one_is_billed():
    mapped = map_to_profile(_mixed_network(), chip(neurons=4))
    spikes = {"h": np.zeros(9, np.int64), "out": np.zeros(2, np.int64)}
    with pytest.raises(ValueError, match="no samples"):
        count_events(mapped, _hand_totals(0), spikes)
    one = count_events(mapped, _hand_totals(1), spikes)
    assert (one.samples, one.graded_synops, one.synops, one.events) == (1, 40, 12, 6 + 2)
    assert one.neuron_updates == 36 + 8  # the input's 0 included: nothing added to the hand totals


def test_each_population_is_billed_its_own_kinds_per_inference_without_static_power():
    # by hand, per inference (4 samples): the input's 40 synops are graded (10 MACs), its 20 encoded
    # events are not spikes on chip; h: 3 synops, 9 updates, 1.5 spikes; out: 2 updates, 0.5 spikes.
    # Static power belongs to the chip, not to a population: 0 J each.
    mapped = map_to_profile(_mixed_network(), _priced_chip())
    spikes = {"h": np.array([1, 0, 2, 0, 0, 1, 0, 1, 1]), "out": np.array([2, 0])}
    charge = bill(mapped, _priced_chip(), _hand_totals(4), spikes, steps=10)
    by_population = charge.by_population_j
    assert by_population["in"] == pytest.approx({"graded_synops": 10 * GRADED, "static": 0.0})
    assert by_population["h"] == pytest.approx({"synops": 3 * SYNOP, "neuron_updates": 9 * UPDATE,
                                                "events": 1.5 * SPIKE, "static": 0.0})
    assert by_population["out"] == pytest.approx({"neuron_updates": 2 * UPDATE, "events": 0.5 * SPIKE,
                                                  "static": 0.0})
    # the whole: one chip's static power over 10 steps of 1 ms, and the same kinds summed
    components = charge.energy.components_j
    assert components["static"] == pytest.approx(STATIC_W * 1 * 10 * STEP_S)
    assert components["graded_synops"] == pytest.approx(10 * GRADED)
    assert components["synops"] == pytest.approx(3 * SYNOP)
    assert components["neuron_updates"] == pytest.approx((36 + 8) / 4 * UPDATE)
    assert components["events"] == pytest.approx((6 + 2) / 4 * SPIKE)
    # h (9 neurons, 4 a core) sits on cores 0-2 and out on core 3: each of h's 6 spikes takes one route
    assert charge.counts.routed_events == 6


def test_bill_result_counts_each_neurons_spikes_over_the_batch():
    graph = _mixed_network()
    profile = chip(neurons=4)
    mapped = map_to_profile(graph, profile)
    x = _data((6,), 3).x_test
    result = neuro.simulate(neuro.compile_network(mapped.graph), encode.constant(x), timesteps=12)
    charge = bill_result(mapped, profile, result)
    # every spike of h reaches out's one core, once; h is the second population (after the input)
    h_spikes = int(result.counters.events[:, 1].sum())
    assert h_spikes > 0 and charge.counts.routed_events == h_spikes and charge.counts.samples == 3
    assert charge.steps == 12


# the per-step overhead terms: 7 pJ per core in use and 11 pJ per chip in use, every step
OVERHEAD = ('core_step_pj = { value = 7.0, source = "test", evidence = "estimated" }\n'
            'chip_step_pj = { value = 11.0, source = "test", evidence = "estimated" }\n')
CORE_STEP, CHIP_STEP, HOP = 7e-12, 11e-12, 10e-12


def test_a_hand_built_networks_bill_equals_a_hand_computation_with_the_step_overheads():
    profile = hp.parse(TEMPLATE.format(neurons=4, max_chips=1, extra="", supports='["IF", "Dense"]')
                       + PRICED + OVERHEAD, "tiny")
    mapped = map_to_profile(_mixed_network(), profile)
    # h (9 neurons, 4 a core) takes cores 0, 1, 2 and out core 3 of one chip's 2 x 2 mesh: 4 cores, 1 chip
    spikes = {"h": np.array([1, 0, 2, 0, 0, 1, 0, 1, 1]), "out": np.array([2, 0])}
    charge = bill(mapped, profile, _hand_totals(4), spikes, steps=10)
    # by hand, per inference (4 samples, 10 steps of 1 ms): every h spike goes to core 3 at (1, 1); from
    # core 0 at (0, 0) 2 hops (3 spikes), from core 1 at (1, 0) and core 2 at (0, 1) 1 hop (2 + 1 spikes)
    hops = (3 * 2 + 2 * 1 + 1 * 1) / 4
    expected = {"graded_synops": 40 / 4 * GRADED, "synops": 12 / 4 * SYNOP, "neuron_updates": (36 + 8) / 4 * UPDATE,
                "events": (6 + 2) / 4 * SPIKE, "hops": hops * HOP, "static": STATIC_W * 1 * 10 * STEP_S,
                "core_steps": CORE_STEP * 4 * 10, "chip_steps": CHIP_STEP * 1 * 10}
    assert charge.energy.components_j == pytest.approx(expected)
    assert charge.energy_j == pytest.approx(sum(expected.values()))
    assert charge.energy.not_billed == ()
    # each population carries the overhead of its own cores; the chip's share is nobody's
    assert charge.by_population_j["h"]["core_steps"] == pytest.approx(CORE_STEP * 3 * 10)
    assert charge.by_population_j["out"]["core_steps"] == pytest.approx(CORE_STEP * 1 * 10)
    assert "core_steps" not in charge.by_population_j["in"]
    assert all("chip_steps" not in costs for costs in charge.by_population_j.values())


def test_a_profile_without_an_overhead_term_bills_none_and_does_not_call_it_missing():
    cost = hp.load("spinnaker").cost
    assert cost.core_step_j is None and cost.chip_step_j is None
    breakdown = hp.estimate(cost, {"synops": 10.0}, steps=5, chips=2, cores=7)
    assert "core_steps" not in breakdown.components_j and "chip_steps" not in breakdown.components_j
    assert not any("step" in kind for kind in breakdown.not_billed)
