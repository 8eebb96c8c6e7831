"""A sequence network's timing is parsed once, checked for type and range, and drives the same input."""

import numpy as np
import pytest

from neuro import encode
from neuro.sequence import MAX_TICKS_PER_ELEMENT, SequenceTiming

RATE = {"input": "sequence", "realisation": "rate", "window": 4, "ticks_per_element": 22, "hold_ticks": 4,
        "flush_ticks": 26, "input_bound": 3.0, "hidden": 5, "layers": 2}


def test_not_a_sequence_network():
    assert SequenceTiming.of({"method": "cnn"}) is None
    assert SequenceTiming.of(None) is None and SequenceTiming.of([]) is None


def test_defaults_are_one_tick_held_throughout_no_tail():
    timing = SequenceTiming.of({"input": "sequence", "realisation": "graded", "hidden": 3, "layers": 1})
    assert (timing.ticks_per_element, timing.hold_ticks, timing.flush_ticks) == (1, 1, 0)
    assert timing.steps(8) == 8 and timing.input_bound is None


def test_a_rate_network_timing_and_its_drive():
    timing = SequenceTiming.of(RATE)
    assert timing.steps(3) == 3 * 22 + 26 and (timing.hidden, timing.layers) == (5, 2)
    x = np.arange(6.0).reshape(1, 3, 2) / 4
    drive = encode.sequence_for(RATE, x)
    # element k held on ticks 22k .. 22k + 3, zeros after, then 26 ticks of zeros
    assert drive.shape == (1, 92, 2)
    expected = np.zeros((1, 92, 2))
    for k in range(3):
        expected[0, 22 * k:22 * k + 4] = x[0, k]
    np.testing.assert_array_equal(drive, expected)
    with pytest.raises(ValueError, match="within \\+-3"):
        encode.sequence_for(RATE, x * 100)


@pytest.mark.parametrize("change, key", [
    ({"ticks_per_element": 1e9}, "ticks_per_element"), ({"ticks_per_element": MAX_TICKS_PER_ELEMENT + 1},
                                                        "ticks_per_element"),
    ({"ticks_per_element": "22"}, "ticks_per_element"), ({"ticks_per_element": 2.5}, "ticks_per_element"),
    ({"ticks_per_element": float("inf")}, "ticks_per_element"), ({"ticks_per_element": 0}, "ticks_per_element"),
    ({"hold_ticks": 23}, "hold_ticks"), ({"hold_ticks": True}, "hold_ticks"),
    ({"flush_ticks": -1}, "flush_ticks"), ({"input_bound": "big"}, "input_bound"),
    ({"input_bound": float("nan")}, "input_bound"), ({"hidden": 0}, "hidden"), ({"layers": [1]}, "layers"),
])
def test_damaged_timing_metadata_is_refused_by_key(change, key):
    with pytest.raises(ValueError, match=key):
        SequenceTiming.of({**RATE, **change})


def test_limits_exactly_met_are_accepted():
    assert SequenceTiming.of({**RATE, "ticks_per_element": MAX_TICKS_PER_ELEMENT, "hold_ticks": 1}) is not None
    assert SequenceTiming.of({**RATE, "hold_ticks": 22}).hold_ticks == 22


def test_a_timing_built_directly_defaults_to_one_tick_held_and_no_tail():
    timing = SequenceTiming("graded")
    assert (timing.ticks_per_element, timing.hold_ticks, timing.flush_ticks) == (1, 1, 0)
    assert timing.steps(5) == 5


# the documented limits (module docstring and comments of neuro.sequence), written out: each one
# exactly met is accepted and one past it refused, on both sides of every range
@pytest.mark.parametrize("key, lowest, highest", [
    ("ticks_per_element", 1, 100_000), ("flush_ticks", 0, 10_000_000), ("hidden", 1, 10**7),
    ("layers", 1, 10**4),
])
def test_every_integer_key_accepts_its_range_exactly(key, lowest, highest):
    base = {**RATE, "ticks_per_element": 1, "hold_ticks": 1}
    for value in (lowest, highest):
        assert getattr(SequenceTiming.of({**base, key: value}), key) == value
    for value in (lowest - 1, highest + 1):
        with pytest.raises(ValueError, match=key):
            SequenceTiming.of({**base, key: value})


def test_hold_ticks_lie_between_one_and_the_ticks_per_element():
    assert SequenceTiming.of({**RATE, "hold_ticks": 1}).hold_ticks == 1
    with pytest.raises(ValueError, match="hold_ticks"):
        SequenceTiming.of({**RATE, "hold_ticks": 0})


def test_the_input_bound_is_any_positive_number_and_an_input_at_it_is_accepted():
    for bound in (0.5, 1, 3.0):
        assert SequenceTiming.of({**RATE, "input_bound": bound}).input_bound == bound
    for bound in (0, 0.0, -1.0):
        with pytest.raises(ValueError, match="input_bound"):
            SequenceTiming.of({**RATE, "input_bound": bound})
    timing = SequenceTiming.of({**RATE, "input_bound": 0.5})
    timing.check_bound(np.array([[[-0.5, 0.25]]]))  # |x| reaches the bound: accepted
    with pytest.raises(ValueError, match="within \\+-0.5"):
        timing.check_bound(np.array([[[0.5000001, 0.0]]]))
