"""Mapping onto chip profiles: each broken limit becomes its violation; traffic and energy add up."""

import numpy as np
import pytest

import hardware_profiles as hp
import neuro
from neuro import encode, ir
from neuro.mapping import map_to_profile

TEMPLATE = """
schema_version = 1
name = "tiny"
display_name = "A tiny test chip"
kind = "neuromorphic"
supports = {supports}
[[references]]
key = "test"
citation = "Test fixture of the neuro project"
[structure]
max_chips = {{ value = {max_chips}, source = "test", evidence = "estimated" }}
cores_per_chip = {{ value = 4, source = "test", evidence = "estimated" }}
mesh_x = {{ value = 2, source = "test", evidence = "estimated" }}
mesh_y = {{ value = 2, source = "test", evidence = "estimated" }}
neurons_per_core = {{ value = {neurons}, source = "test", evidence = "estimated" }}
weight_bits = {{ value = 8, source = "test", evidence = "estimated" }}
{extra}
[cost]
synop_pj = {{ value = 1.0, source = "test", evidence = "estimated" }}
spike_pj = {{ value = 2.0, source = "test", evidence = "estimated" }}
hop_pj = {{ value = 10.0, source = "test", evidence = "estimated" }}
chip_crossing_pj = {{ value = 100.0, source = "test", evidence = "estimated" }}
neuron_update_pj = {{ value = 0.5, source = "test", evidence = "estimated" }}
time_step_s = {{ value = 0.001, source = "test", evidence = "estimated" }}
"""


def chip(neurons=64, max_chips=1, extra="", supports='["IF", "LIF", "Dense", "Sparse", "Flatten", "Conv2d"]'):
    return hp.parse(TEMPLATE.format(neurons=neurons, max_chips=max_chips, extra=extra, supports=supports), "tiny")


def two_layer(n_in=8, hidden=16, n_out=4, seed=0):
    rng = np.random.default_rng(seed)
    return ir.Graph(
        nodes={"in": ir.Input((n_in,)), "w1": ir.Dense(rng.normal(size=(hidden, n_in))),
               "h": ir.IF.uniform((hidden,)), "w2": ir.Dense(rng.normal(size=(n_out, hidden))),
               "out": ir.IF.uniform((n_out,))},
        edges=(("in", "w1"), ("w1", "h"), ("h", "w2"), ("w2", "out")))


def rules(mapped):
    return {(v.node, v.rule) for v in mapped.violations}


def test_a_network_that_fits_has_no_violations():
    mapped = map_to_profile(two_layer(), chip())
    assert mapped.fits and mapped.cores == 2 and mapped.chips == 1
    assert set(mapped.core_of) == {"h", "out"}


def test_neurons_per_core_splits_populations():
    mapped = map_to_profile(two_layer(hidden=20), chip(neurons=8))
    assert len(set(mapped.core_of["h"].tolist())) == 3  # 8 + 8 + 4
    assert mapped.cores == 4 and mapped.fits


def test_too_many_chips():
    mapped = map_to_profile(two_layer(hidden=40), chip(neurons=4))
    assert ("network", "chips") in rules(mapped)


def test_fan_in_per_neuron_and_core_limits():
    mapped = map_to_profile(two_layer(n_in=20), chip(extra='fan_in_per_neuron = { value = 10, source = "test", '
                                                            'evidence = "estimated" }'))
    assert ("h", "fan_in_per_neuron") in rules(mapped)
    mapped = map_to_profile(two_layer(n_in=20), chip(extra='fan_in_per_core = { value = 10, source = "test", '
                                                           'evidence = "estimated" }'))
    assert ("h", "core_limits") in rules(mapped)


def test_synapse_memory_splits_cores():
    mapped = map_to_profile(two_layer(n_in=8, hidden=16), chip(max_chips=2, extra='synapses_per_core = { value = 40, '
                                                                     'source = "test", evidence = "estimated" }'))
    assert len(set(mapped.core_of["h"].tolist())) == 4  # 5 neurons x 8 synapses per core at most
    assert mapped.fits


def test_fan_out_unsupported_kind_and_delay():
    mapped = map_to_profile(two_layer(hidden=16, n_out=16), chip(neurons=8, max_chips=2, extra=(
        'fan_out_cores_per_neuron = { value = 1, source = "test", evidence = "estimated" }\n'
        'max_delay_steps = { value = 2, source = "test", evidence = "estimated" }')))
    assert ("h", "fan_out") in rules(mapped)
    graph = ir.Graph(nodes={"in": ir.Input((2,)), "s": ir.Sparse(2, 2, [0, 1], [1, 0], [1.0, 1.0], [0, 5]),
                            "n": ir.LIF.uniform((2,), tau=0.01)}, edges=(("in", "s"), ("s", "n")))
    mapped = map_to_profile(graph, chip(supports='["IF", "Sparse"]', extra=(
        'max_delay_steps = { value = 2, source = "test", evidence = "estimated" }')))
    assert ("n", "unsupported_kind") in rules(mapped) and ("s", "delay") in rules(mapped)


def test_graded_input_on_a_binary_chip_is_noted():
    assert any("analog input" in note for note in map_to_profile(two_layer(), chip()).notes)


def test_weights_are_quantised_to_the_chip_precision():
    graph = two_layer()
    mapped = map_to_profile(graph, chip())
    weight = mapped.graph.nodes["w1"].weight
    step = 2.0 ** np.ceil(np.log2(np.abs(graph.nodes["w1"].weight).max() / 127))  # a power of two
    np.testing.assert_allclose(weight / step, np.round(weight / step), atol=1e-9)
    assert np.abs(weight - graph.nodes["w1"].weight).max() <= step / 2 + 1e-12
    assert mapped.graph.metadata["quantised_for"] == "tiny"


def test_traffic_counts_hops_between_cores():
    graph = two_layer(hidden=8, n_out=4)
    mapped = map_to_profile(graph, chip(neurons=8))
    # 'h' is on core 0 at (0, 0), 'out' on core 1 at (1, 0): every spike of h travels one hop
    counts = {"h": np.arange(8.0), "out": np.ones(4)}
    traffic = mapped.traffic(counts)
    assert traffic["routed_events"] == pytest.approx(np.arange(8.0).sum())
    assert traffic["hops"] == pytest.approx(np.arange(8.0).sum())
    assert traffic["chip_crossings"] == 0


def test_chip_crossings_are_counted():
    graph = two_layer(hidden=16, n_out=4)
    mapped = map_to_profile(graph, chip(neurons=4, max_chips=3))
    assert mapped.chips == 2 and mapped.fits
    assert mapped.traffic({"h": np.ones(16)})["chip_crossings"] > 0


def test_conv_weight_sharing_stores_kernels_not_synapses():
    graph = ir.Graph(nodes={"in": ir.Input((1, 8, 8)), "c": ir.Conv2d(np.ones((2, 1, 3, 3)), padding=1),
                            "n": ir.IF.uniform((2, 8, 8))}, edges=(("in", "c"), ("c", "n")))
    memory = 'synapses_per_core = { value = 100, source = "test", evidence = "estimated" }\n'
    explicit = map_to_profile(graph, chip(neurons=128, extra=memory))
    shared = map_to_profile(graph, chip(neurons=128, extra=memory + 'weight_sharing = "conv_kernel"'))
    assert explicit.cores > shared.cores == 1


def test_quantised_network_simulates_and_energy_adds_up():
    graph = two_layer()
    profile = chip()
    mapped = map_to_profile(graph, profile)
    net = neuro.compile_network(mapped.graph)
    result = neuro.simulate(net, encode.constant(np.full((1, 8), 0.5)), timesteps=20)
    counts = result.counters.per_inference()
    energy = hp.estimate(profile.cost, {"synops": counts["synops"], "neuron_updates": counts["neuron_updates"]},
                         steps=20)
    assert energy.total_j == pytest.approx(counts["synops"] * 1e-12 + counts["neuron_updates"] * 0.5e-12)


def test_ann_profiles_are_refused_for_mapping():
    with pytest.raises(ValueError, match="ANN baseline"):
        map_to_profile(two_layer(), hp.load("cpu"))


def _limit(key, value):
    return f'{key} = {{ value = {value}, source = "test", evidence = "estimated" }}'


@pytest.mark.parametrize("key, rule, met, over", [
    # dense 20 -> 16: every hidden neuron has fan-in 20, a core of 16 hidden neurons sees 20 sources
    ("fan_in_per_neuron", "fan_in_per_neuron", 20, 19),
    ("fan_in_per_core", "core_limits", 20, 19),
])
def test_a_fan_in_limit_exactly_met_fits_and_one_less_does_not(key, rule, met, over):
    graph = two_layer(n_in=20)
    assert ("h", rule) not in rules(map_to_profile(graph, chip(extra=_limit(key, met))))
    assert ("h", rule) in rules(map_to_profile(graph, chip(extra=_limit(key, over))))


def test_neurons_per_core_and_chips_exactly_met_fit():
    # 16 hidden + 4 output neurons: 16 per core is exactly one core for h; 4 cores per chip
    exact = map_to_profile(two_layer(hidden=16), chip(neurons=16))
    assert len(set(exact.core_of["h"].tolist())) == 1 and exact.fits
    assert len(set(map_to_profile(two_layer(hidden=16), chip(neurons=15)).core_of["h"].tolist())) == 2
    # 4 neurons a core: h takes 4 cores, out 1, 5 cores need 2 chips of 4 cores
    assert map_to_profile(two_layer(hidden=16), chip(neurons=4, max_chips=2)).fits
    assert ("network", "chips") in rules(map_to_profile(two_layer(hidden=16), chip(neurons=4, max_chips=1)))


def test_fan_out_and_delay_limits_exactly_met_fit():
    # h (16 neurons, 8 per core) feeds out (16 neurons on 2 other cores): every h neuron reaches 2 cores
    graph = two_layer(hidden=16, n_out=16)
    assert ("h", "fan_out") not in rules(map_to_profile(graph, chip(neurons=8, max_chips=2,
                                                                    extra=_limit("fan_out_cores_per_neuron", 2))))
    assert ("h", "fan_out") in rules(map_to_profile(graph, chip(neurons=8, max_chips=2,
                                                                extra=_limit("fan_out_cores_per_neuron", 1))))
    delayed = ir.Graph(nodes={"in": ir.Input((2,)), "s": ir.Sparse(2, 2, [0, 1], [1, 0], [1.0, 1.0], [0, 5]),
                              "n": ir.IF.uniform((2,))}, edges=(("in", "s"), ("s", "n")))
    supports = '["IF", "Sparse"]'
    assert ("s", "delay") not in rules(map_to_profile(delayed, chip(supports=supports,
                                                                   extra=_limit("max_delay_steps", 5))))
    assert ("s", "delay") in rules(map_to_profile(delayed, chip(supports=supports,
                                                               extra=_limit("max_delay_steps", 4))))
