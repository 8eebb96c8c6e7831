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
