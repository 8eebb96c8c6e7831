"""Potential calibration: each channel's initial membrane moves by the charge its mean count misses."""

import numpy as np
import pytest

from neuro import ir
from neuro.membranes import calibrate_membranes


def _counts_by_hand(z, v0, threshold, timesteps):
    """Events of an IF neuron (reset by subtraction, at most one a step) under constant input z, worked
    out step by step."""
    v, n = v0, 0
    for _ in range(timesteps):
        v += z
        if v >= threshold:
            v -= threshold
            n += 1
    return n


def _dense_network(thresholds, weight, bias):
    """in (3) -> dense -> hidden IF (one threshold each, starting at half of it) -> dense -> out (1)."""
    thresholds = np.asarray(thresholds, np.float64)
    nodes = {"in": ir.Input((3,)), "d1": ir.Dense(np.asarray(weight, np.float64), np.asarray(bias, np.float64)),
             "hidden": ir.IF(v_threshold=thresholds, v_initial=thresholds / 2),
             "d2": ir.Dense(np.ones((1, len(thresholds)))), "out": ir.IF.uniform((1,), v_threshold=4.0)}
    return ir.Graph(nodes=nodes, edges=(("in", "d1"), ("d1", "hidden"), ("hidden", "d2"), ("d2", "out")))


def test_one_round_moves_each_neuron_by_the_charge_its_mean_count_misses():
    thresholds = [1.0, 0.5, 2.0, 1.0]
    weight = [[0.5, 0.25, 0], [0, 0.125, 0.25], [4, 4, 4], [-1, 0, 0]]
    graph = _dense_network(thresholds, weight, [0.0, 0.0, 0.5, 0.0])
    x = np.array([[0.25, 0.5, 0.75], [0.75, 0.5, 1.0], [0.5, 0.0, 0.25]])  # dyadic: every sum is exact
    timesteps = 3
    calibrated = calibrate_membranes(graph, x, timesteps=timesteps, rounds=1)
    z = x @ np.asarray(weight).T + [0.0, 0.0, 0.5, 0.0]
    for i, threshold in enumerate(thresholds):
        # the ANN's rate, relu(z)/threshold, at most one event a step; the SNN's by stepping the neuron
        wanted = np.minimum(np.maximum(z[:, i], 0) / threshold, 1.0)
        counts = np.array([_counts_by_hand(zs, threshold / 2, threshold, timesteps) for zs in z[:, i]])
        expected = threshold / 2 + timesteps * np.mean(wanted - counts / timesteps) * threshold
        assert calibrated.nodes["hidden"].v_initial[i] == pytest.approx(expected, abs=1e-12), i
    # neuron 2 is driven above its threshold (a clipped rate of 1 that it reaches) and neuron 3 below zero:
    # neither misses anything, so neither moves
    assert calibrated.nodes["hidden"].v_initial[2] == 1.0 and calibrated.nodes["hidden"].v_initial[3] == 0.5
    assert calibrated.nodes["hidden"].v_initial[0] != 0.5  # and the others did
    # the readout is not calibrated, the thresholds stay, the setting is recorded
    assert calibrated.nodes["out"].v_initial[0] == 0.0
    np.testing.assert_array_equal(calibrated.nodes["hidden"].v_threshold, thresholds)
    assert calibrated.metadata["conversion"]["membrane_calibration"] == {
        "timesteps": 3, "rounds": 1, "samples": 3, "input": "analog", "latency_model": "same-step"}


def test_a_second_round_measures_again_from_where_the_first_left():
    graph = _dense_network([1.0, 1.0], [[0.375, 0, 0], [0.25, 0.25, 0]], [0.0, 0.0])
    x = np.array([[0.5, 0.25, 0.0], [1.0, 0.75, 0.0]])
    once = calibrate_membranes(graph, x, timesteps=2, rounds=1)
    twice = calibrate_membranes(once, x, timesteps=2, rounds=1)
    both = calibrate_membranes(graph, x, timesteps=2, rounds=2)
    np.testing.assert_array_equal(both.nodes["hidden"].v_initial, twice.nodes["hidden"].v_initial)
    assert not np.array_equal(once.nodes["hidden"].v_initial, twice.nodes["hidden"].v_initial)


def test_a_convolution_moves_per_channel_by_the_mean_over_positions_and_samples():
    # a 1x1 convolution: channel c at each position gets gain[c] * x + bias[c]
    gain, bias, threshold, timesteps = np.array([1.0, 0.5]), np.array([0.0, 0.125]), 1.0, 4
    nodes = {"in": ir.Input((1, 2, 2)), "conv": ir.Conv2d(gain.reshape(2, 1, 1, 1), bias),
             "hidden": ir.IF.uniform((2, 2, 2), v_threshold=threshold, v_initial=threshold / 2),
             "flat": ir.Flatten(), "d": ir.Dense(np.ones((1, 8))), "out": ir.IF.uniform((1,))}
    graph = ir.Graph(nodes=nodes, edges=(("in", "conv"), ("conv", "hidden"), ("hidden", "flat"), ("flat", "d"),
                                         ("d", "out")))
    x = np.array([[[[0.125, 0.375], [0.625, 0.875]]], [[[0.25, 0.0], [1.0, 0.5]]]])
    v_initial = calibrate_membranes(graph, x, timesteps=timesteps, rounds=1).nodes["hidden"].v_initial
    for c in range(2):
        z = gain[c] * x[:, 0] + bias[c]
        counts = np.vectorize(lambda zs: _counts_by_hand(zs, 0.5, threshold, timesteps))(z)
        expected = 0.5 + timesteps * np.mean(np.minimum(z, 1.0) - counts / timesteps) * threshold
        np.testing.assert_allclose(v_initial[c], np.full((2, 2), expected), rtol=0, atol=1e-12)
    assert v_initial[0, 0, 0] != v_initial[1, 0, 0]


def test_a_signed_population_is_measured_by_its_net_count_not_its_events():
    # A fires at steps 1 and 3 (half its threshold a step from half of it); B gets +2 from each of A's
    # spikes and -1 every step: +1, -1, +1, -1 events (each step sends one), net 0, which is its ANN
    # value relu(2 * 0.5 - 1) = 0. Its four events are no error, so it must not move.
    nodes = {"in": ir.Input((1,)), "to_a": ir.Dense(np.array([[0.5]])), "a": ir.IF.uniform((1,), v_initial=0.5),
             "to_b": ir.Dense(np.array([[-1.0]])), "a_to_b": ir.Dense(np.array([[2.0]])),
             "b": ir.IF.uniform((1,), v_initial=0.5, signed=True), "to_out": ir.Dense(np.array([[1.0]])),
             "out": ir.IF.uniform((1,))}
    edges = (("in", "to_a"), ("to_a", "a"), ("in", "to_b"), ("to_b", "b"), ("a", "a_to_b"), ("a_to_b", "b"),
             ("b", "to_out"), ("to_out", "out"))
    calibrated = calibrate_membranes(ir.Graph(nodes=nodes, edges=edges), np.ones((1, 1)), timesteps=4)
    assert calibrated.nodes["a"].v_initial[0] == 0.5 and calibrated.nodes["b"].v_initial[0] == 0.5


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "4"])
def test_bad_settings_are_refused(bad):
    graph = _dense_network([1.0], [[1, 0, 0]], [0.0])
    x = np.ones((2, 3))
    with pytest.raises(ValueError, match="membrane calibration needs a whole number of steps"):
        calibrate_membranes(graph, x, timesteps=bad)
    with pytest.raises(ValueError, match="round"):
        calibrate_membranes(graph, x, timesteps=2, rounds=bad)
    with pytest.raises(ValueError, match="sample"):
        calibrate_membranes(graph, np.ones((0, 3)), timesteps=2)
    lif = ir.Graph(nodes={**graph.nodes, "hidden": ir.LIF.uniform((1,), tau=0.01)}, edges=graph.edges)
    with pytest.raises(ValueError, match="'hidden'"):
        calibrate_membranes(lif, x, timesteps=2)


def test_one_step_and_one_round_are_enough_and_two_rounds_the_default():
    graph = _dense_network([1.0], [[0.75, 0, 0]], [0.0])
    x = np.array([[1.0, 0, 0]])
    # one step from half the threshold: 0.5 + 0.75 fires once, the ANN wants 0.75 a step, so it starts
    # 0.25 thresholds lower
    once = calibrate_membranes(graph, x, timesteps=1, rounds=1)
    assert once.nodes["hidden"].v_initial[0] == 0.25
    assert calibrate_membranes(graph, x, timesteps=1).metadata["conversion"]["membrane_calibration"]["rounds"] == 2


def _spike_steps(inputs, v0, threshold=1.0):
    """Whether an IF neuron (reset by subtraction) fires at each step, given its input at each step."""
    v, fired = v0, []
    for z in inputs:
        v += z
        fired.append(v >= threshold)
        v -= threshold * fired[-1]
    return fired


def test_each_layer_is_measured_after_the_layers_before_it_are_calibrated_in_topological_order():
    # in -> d1 -> h1 -> d2 -> h2 -> out, with the nodes declared out of order: h2 before h1
    z1, timesteps = 0.625, 2
    nodes = {"out": ir.IF.uniform((1,)), "to_out": ir.Dense(np.array([[1.0]])),
             "h2": ir.IF.uniform((1,), v_initial=0.5), "d2": ir.Dense(np.array([[1.0]])),
             "h1": ir.IF.uniform((1,), v_initial=0.5), "d1": ir.Dense(np.array([[z1]])), "in": ir.Input((1,))}
    edges = (("in", "d1"), ("d1", "h1"), ("h1", "d2"), ("d2", "h2"), ("h2", "to_out"), ("to_out", "out"))
    calibrated = calibrate_membranes(ir.Graph(nodes=nodes, edges=edges), np.ones((1, 1)), timesteps=timesteps,
                                     rounds=1)
    # h1 from 0.5 fires once in two steps (1.125, then 0.75); the ANN wants 0.625 a step: it starts
    # 2 * (0.625 - 0.5) = 0.25 higher, and then fires at both steps
    assert _spike_steps([z1] * timesteps, 0.5) == [True, False]
    v1 = 0.5 + timesteps * (z1 - 1 / timesteps)
    assert calibrated.nodes["h1"].v_initial[0] == v1 == 0.75
    h1_spikes = _spike_steps([z1] * timesteps, v1)
    assert h1_spikes == [True, True]
    # h2 is measured behind the calibrated h1 (two events, not the one it would get from h1 as it was); the
    # ANN wants 0.625 a step of it too
    h2_count = sum(_spike_steps([1.0 * s for s in h1_spikes], 0.5))
    assert h2_count == 2
    assert calibrated.nodes["h2"].v_initial[0] == 0.5 + timesteps * (0.625 - h2_count / timesteps) == -0.25
