import numpy as np
import pytest

import neuro
from neuro import encode, ir


def test_constant_holds_the_input_for_every_step():
    x = np.arange(12.0).reshape(2, 2, 3)
    drive = encode.constant(x)
    assert drive.shape == (2, 1, 6)
    np.testing.assert_array_equal(drive[1, 0], x[1].ravel())


def test_poisson_is_seeded_and_has_the_right_rate():
    x = np.array([[0.0, 0.25, 0.5, 1.0, -0.5]])
    a = encode.poisson(x, 4000, np.random.default_rng(7))
    b = encode.poisson(x, 4000, np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    rates = np.abs(a).mean(axis=1)[0]
    np.testing.assert_allclose(rates, np.abs(x[0]), atol=0.03)
    assert a[0, :, 4].min() == -1 and a[0, :, 0].max() == 0


def test_poisson_refuses_out_of_range_values_and_a_missing_generator():
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        encode.poisson(np.array([[2.0]]), 5, np.random.default_rng(0))
    with pytest.raises(TypeError, match="Generator"):
        encode.poisson(np.array([[0.5]]), 5, 0)


def test_readouts():
    graph = ir.Graph(nodes={"in": ir.Input((3,)), "w": ir.Dense(np.eye(3)),
                            "n": ir.IF.uniform((3,), v_threshold=1.0)},
                     edges=(("in", "w"), ("w", "n")))
    result = neuro.simulate(neuro.compile_network(graph), encode.constant([[0.5, 0.75, 0.25]]),
                            timesteps=8)
    np.testing.assert_array_equal(encode.spike_count(result), [[4, 6, 2]])
    np.testing.assert_array_equal(encode.spike_count(result, 4), [[2, 3, 1]])
    np.testing.assert_allclose(encode.membrane(result), [[4.0, 6.0, 2.0]])
    assert encode.predictions(result).tolist() == [1]
    assert encode.predictions(result, readout="membrane").tolist() == [1]
    with pytest.raises(ValueError, match="readout"):
        encode.predictions(result, readout="rate")


def test_a_sequence_is_held_for_part_of_each_element_and_followed_by_a_tail():
    x = np.arange(1.0, 7.0).reshape(1, 3, 2)
    drive = encode.sequence(x, 3, hold=2, tail=1)
    assert drive.shape == (1, 10, 2)
    np.testing.assert_array_equal(drive[0, :, 0], [1, 1, 0, 3, 3, 0, 5, 5, 0, 0])
    conversion = {"ticks_per_element": 3, "hold_ticks": 2, "flush_ticks": 1}
    np.testing.assert_array_equal(encode.sequence_for(conversion, x), drive)
    assert encode.sequence_steps(conversion, 3) == 10 and encode.sequence_steps({}, 3) == 3
    with pytest.raises(ValueError, match="hold"):
        encode.sequence(x, 3, hold=4)


def test_sequence_defaults_to_one_tick_an_element_and_no_tail_and_checks_its_ranges_on_both_sides():
    x = np.arange(1.0, 7.0).reshape(1, 3, 2)
    np.testing.assert_array_equal(encode.sequence(x), x)  # one tick each, held, nothing after
    np.testing.assert_array_equal(encode.sequence(x, 1, hold=1, tail=0), x)
    assert encode.sequence(x, 2, hold=2).shape == (1, 6, 2)  # hold may be all the ticks
    for bad, key in (({"ticks_per_element": 0}, "ticks_per_element"), ({"ticks_per_element": 2, "hold": 0}, "hold"),
                     ({"ticks_per_element": 2, "hold": 3}, "hold"), ({"ticks_per_element": 2, "tail": -1}, "tail")):
        with pytest.raises(ValueError, match=key):
            encode.sequence(x, **bad)


def test_poisson_fires_exactly_when_the_uniform_draw_lies_below_the_rate():
    # the definition, with the same draws from an identical generator: element i fires at step t when
    # its draw u < |x_i| * max_rate; a draw equal to the rate does not fire
    x = np.array([[0.5, -1.0], [0.25, 0.0], [1.0, 0.75]])  # 3 samples, 2 features (not a square batch)
    draws = np.random.default_rng(5).random((3, 50, 2))
    spikes = encode.poisson(x, 50, np.random.default_rng(5), max_rate=0.5)
    np.testing.assert_array_equal(spikes, (draws < np.abs(x)[:, None, :] * 0.5) * np.sign(x)[:, None, :])
    first = np.random.default_rng(9).random()
    assert encode.poisson(np.array([[first]]), 1, np.random.default_rng(9)).tolist() == [[[0.0]]]
    assert encode.poisson(np.array([[1.0]]), 3, np.random.default_rng(0), max_rate=1).tolist() == [[[1.0]] * 3]
    for rate in (0, 1.5):
        with pytest.raises(ValueError, match="max_rate"):
            encode.poisson(x, 5, np.random.default_rng(0), max_rate=rate)


def test_membrane_and_value_readouts_by_hand():
    # one IF neuron, threshold 1/2, reset by subtraction, 3/8 in every step: after k steps it has
    # integrated 3k/8, spiked floor(3k/4) times and holds the rest: v = 3/8, 1/4, 1/8, 0, 3/8, 1/4, 1/8
    graph = ir.Graph(nodes={"in": ir.Input((1,)), "w": ir.Dense(np.ones((1, 1))),
                            "n": ir.IF.uniform((1,), v_threshold=0.5)}, edges=(("in", "w"), ("w", "n")))
    result = neuro.simulate(neuro.compile_network(graph), encode.constant([[0.375]]), timesteps=7)
    assert encode.spike_count(result).tolist() == [[5]]
    assert encode.membrane(result).tolist() == [[5 * 0.5 + 0.125]]  # the 21/8 integrated
    assert encode.membrane(result, 2).tolist() == [[1 * 0.5 + 0.25]]
    assert [encode.value(result, k).tolist() for k in (1, 2, 3, 7)] == [[[0.375]], [[0.25]], [[0.125]], [[0.125]]]
    for steps in (0, 8):
        with pytest.raises(ValueError, match="timesteps"):
            encode.value(result, steps)
