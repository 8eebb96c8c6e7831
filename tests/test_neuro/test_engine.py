"""The Numba engine against its dense NumPy oracle, and against closed forms."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import neuro
from neuro import encode, ir
from tests.test_neuro.networks import build_network, dyadic, network_specs

pytestmark = pytest.mark.engine


def _both(graph, drive, timesteps, latency_model="same-step"):
    net = neuro.compile_network(graph, latency_model=latency_model)
    fast = neuro.simulate(net, drive, timesteps=timesteps)
    slow = neuro.simulate(net, drive, timesteps=timesteps, kernel="reference")
    return net, fast, slow


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=network_specs, latency=st.sampled_from(["same-step", "pipelined"]),
       timesteps=st.integers(1, 24), constant=st.booleans())
def test_kernel_equals_reference_on_generated_networks(spec, latency, timesteps, constant):
    graph = build_network(**spec)
    rng = np.random.default_rng(spec["seed"])
    n_in = int(np.prod(graph.shapes["in"]))
    drive = dyadic(rng, (2, 1 if constant else timesteps, n_in))  # graded payloads, signed
    _, fast, slow = _both(graph, drive, timesteps, latency)
    np.testing.assert_array_equal(fast.spike_counts, slow.spike_counts)
    np.testing.assert_array_equal(fast.output_steps, slow.output_steps)
    np.testing.assert_array_equal(fast.output_v_steps, slow.output_v_steps)
    for field in ("events", "synops", "neuron_updates"):
        np.testing.assert_array_equal(getattr(fast.counters, field), getattr(slow.counters, field))


def test_generated_networks_are_active():
    """The oracle comparison means something only if neurons actually fire."""
    active = 0
    for seed in range(20):
        graph = build_network(seed, "image", "conv", "dense", "IF", "IF", "subtract", True, False)
        rng = np.random.default_rng(seed)
        drive = dyadic(rng, (1, 1, 72), low=0)
        result = neuro.simulate(neuro.compile_network(graph), drive, timesteps=16)
        active += result.counts_of("pop1").sum() > 0 and result.output_counts.sum() > 0
    assert active >= 10


def _single_if(c, threshold, reset="subtract"):
    return ir.Graph(
        nodes={"in": ir.Input((len(c),)), "w": ir.Dense(np.eye(len(c))),
               "n": ir.IF.uniform((len(c),), v_threshold=threshold, reset=reset)},
        edges=(("in", "w"), ("w", "n")))


@given(c=st.lists(st.integers(0, 64), min_size=1, max_size=6), threshold=st.integers(1, 16),
       timesteps=st.integers(1, 64))
@settings(deadline=None, max_examples=40)
def test_if_with_subtraction_emits_floor_t_c_over_threshold(c, threshold, timesteps):
    theta = threshold / 8
    c = np.minimum(np.array(c) / 32, theta)  # one spike per step at most: the law needs c <= theta
    net = neuro.compile_network(_single_if(c, theta))
    result = neuro.simulate(net, encode.constant(c[None]), timesteps=timesteps)
    expected = np.floor(timesteps * c / theta)
    np.testing.assert_array_equal(result.output_counts[0], expected)


@given(steps=st.lists(st.lists(st.integers(-8, 8), min_size=3, max_size=3), min_size=1, max_size=24),
       start=st.integers(0, 7), kernel=st.sampled_from(["numba", "reference"]))
@settings(deadline=None, max_examples=40)
def test_a_signed_neuron_counts_the_rounding_of_its_input_so_far_however_it_arrived(steps, start, kernel):
    # threshold 1, inputs in [-1, 1] (eighths: exact), the membrane started at start/8 in [0, 1): after every
    # step t the net count (positive minus negative spikes) is max(0, floor(v0 + S_t)), S_t the input so far;
    # the membrane stays in [0, 1) once a spike has been sent (hand derivation in ir.IF's docstring terms)
    x = np.array(steps, np.float64) / 8
    v0 = start / 8
    graph = ir.Graph(nodes={"in": ir.Input((3,)), "w": ir.Dense(np.eye(3)),
                            "n": ir.IF.uniform((3,), v_initial=v0, signed=True)},
                     edges=(("in", "w"), ("w", "n")))
    result = neuro.simulate(neuro.compile_network(graph), x[None], timesteps=len(x), kernel=kernel)
    net = np.cumsum(result.output_steps[0], axis=0)
    expected = np.maximum(0, np.floor(v0 + np.cumsum(x, axis=0)))
    np.testing.assert_array_equal(net, expected)
    # every event is counted, of either sign: the net count's changes, added up without their signs
    np.testing.assert_array_equal(result.counts_of("n")[0], np.abs(result.output_steps[0]).sum(axis=0))


def test_a_signed_neuron_takes_back_a_spike_that_an_unsigned_one_cannot():
    # threshold 1, membrane from 0.5: +1 at step 0 fires (v 1.5 -> 0.5), -1 at step 1 leaves v at -0.5: the
    # signed neuron sends -1 and returns to 0.5 (net 0, the rounding of 0.5 + 1 - 1); the unsigned one keeps its
    # spike (count 1) with v at -0.5
    drive = np.array([[[1.0], [-1.0]]])
    for signed, count, membrane in ((True, 0, 0.5), (False, 1, -0.5)):
        graph = ir.Graph(nodes={"in": ir.Input((1,)), "w": ir.Dense(np.eye(1)),
                                "n": ir.IF.uniform((1,), v_initial=0.5, signed=signed)},
                         edges=(("in", "w"), ("w", "n")))
        net = neuro.compile_network(graph)
        for kernel in ("numba", "reference"):
            result = neuro.simulate(net, drive, timesteps=2, kernel=kernel)
            assert result.output_steps[0, :, 0].tolist() == ([1, -1] if signed else [1, 0])
            assert result.output_counts[0, 0] == count and result.output_v_steps[0, -1, 0] == membrane
            assert result.counters.events[0, -1] == (2 if signed else 1)


def test_a_signed_population_is_refused_before_a_max_pool_gate_and_with_reset_to_a_value():
    with pytest.raises(ValueError, match="signed needs reset='subtract'"):
        ir.IF.uniform((2,), reset="value", signed=True)
    with pytest.raises(ValueError, match="signed must be true or false"):
        ir.IF(v_threshold=np.ones(2), signed="yes")
    graph = ir.Graph(nodes={"in": ir.Input((1, 4, 4)), "c": ir.Conv2d(np.ones((1, 1, 1, 1))),
                            "n": ir.IF.uniform((1, 4, 4), signed=True), "p": ir.MaxPool2d(2), "f": ir.Flatten(),
                            "w": ir.Dense(np.ones((2, 4))), "out": ir.IF.uniform((2,))},
                     edges=(("in", "c"), ("c", "n"), ("n", "p"), ("p", "f"), ("f", "w"), ("w", "out")))
    with pytest.raises(ValueError, match="signed population 'n' feeds the max-pool gate 'p'"):
        neuro.compile_network(graph)


@pytest.mark.parametrize("tau_ms, c, threshold", [(10.0, 0.3, 1.0), (5.0, 0.45, 1.2), (20.0, 0.08, 0.5),
                                                  (2.0, 0.9, 1.0)])
def test_lif_first_spike_step_matches_closed_form(tau_ms, c, threshold):
    dt = 1e-3
    a = math.exp(-dt / (tau_ms * 1e-3))
    # v_k = c (1 - a^k) / (1 - a) first reaches the threshold at this k (1-based):
    k_star = math.ceil(math.log(1 - threshold * (1 - a) / c) / math.log(a))
    graph = ir.Graph(
        nodes={"in": ir.Input((1,)), "w": ir.Dense(np.eye(1)),
               "n": ir.LIF.uniform((1,), tau=tau_ms * 1e-3, v_threshold=threshold, reset="value")},
        edges=(("in", "w"), ("w", "n")))
    result = neuro.simulate(neuro.compile_network(graph, dt=dt), encode.constant([[c]]),
                            timesteps=k_star + 5)
    first = int(np.flatnonzero(result.output_steps[0, :, 0])[0]) + 1
    assert first == k_star


def test_lif_that_cannot_reach_threshold_never_fires():
    tau, c, threshold = 5e-3, 0.1, 1.0  # steady state c / (1 - a) is below the threshold
    assert c / (1 - math.exp(-1e-3 / tau)) < threshold
    graph = ir.Graph(nodes={"in": ir.Input((1,)), "w": ir.Dense(np.eye(1)),
                            "n": ir.LIF.uniform((1,), tau=tau, v_threshold=threshold)},
                     edges=(("in", "w"), ("w", "n")))
    result = neuro.simulate(neuro.compile_network(graph), encode.constant([[c]]), timesteps=500)
    assert result.output_counts.sum() == 0


def _explicit_matrix(conv, in_shape):
    """The conv's matrix built by torch (an implementation independent of ours)."""
    import torch
    n = int(np.prod(in_shape))
    eye = torch.eye(n, dtype=torch.float64).reshape(n, *in_shape)
    fn = torch.nn.functional.conv2d if type(conv) is ir.Conv2d else torch.nn.functional.conv1d
    out = fn(eye, torch.from_numpy(np.array(conv.weight)), None, conv.stride, conv.padding,
             conv.dilation, conv.groups)
    return out.reshape(n, -1).T.numpy()


@pytest.mark.parametrize("conv, in_shape", [
    (ir.Conv2d(np.arange(-27, 27).reshape(3, 2, 3, 3) / 16, stride=(2, 1), padding=(1, 2),
               dilation=(1, 2)), (2, 7, 6)),
    (ir.Conv2d(np.arange(-18, 18).reshape(4, 1, 3, 3) / 16, groups=2, padding=1), (2, 5, 5)),
    (ir.Conv1d(np.arange(-12, 12).reshape(4, 3, 2) / 8, stride=2, padding=1), (3, 9)),
])
def test_conv_delivery_equals_dense_delivery_with_the_explicit_matrix(conv, in_shape, rng):
    matrix = _explicit_matrix(conv, in_shape)
    out_shape = conv.output_shape(in_shape)
    conv_graph = ir.Graph(nodes={"in": ir.Input(in_shape), "w": conv, "n": ir.IF.uniform(out_shape)},
                          edges=(("in", "w"), ("w", "n")))
    dense_graph = ir.Graph(
        nodes={"in": ir.Input(in_shape), "f": ir.Flatten(), "w": ir.Dense(matrix),
               "n": ir.IF.uniform((matrix.shape[0],))},
        edges=(("in", "f"), ("f", "w"), ("w", "n")))
    drive = dyadic(rng, (3, 20, int(np.prod(in_shape))), low=0)
    a = neuro.simulate(neuro.compile_network(conv_graph), drive, timesteps=20)
    b = neuro.simulate(neuro.compile_network(dense_graph), drive, timesteps=20)
    assert a.output_counts.sum() > 0
    np.testing.assert_array_equal(a.output_counts.reshape(3, -1), b.output_counts)
    # the conv pays only for targets inside the output, the dense row for all of them
    assert a.counters.synops[:, 1].sum() <= b.counters.synops[:, 1].sum()


def test_pipelined_model_delays_the_output_by_the_depth(rng):
    graph = ir.Graph(
        nodes={"in": ir.Input((6,)), "a": ir.Dense(dyadic(rng, (5, 6))), "h": ir.IF.uniform((5,)),
               "b": ir.Dense(dyadic(rng, (4, 5))), "out": ir.IF.uniform((4,), v_threshold=0.5)},
        edges=(("in", "a"), ("a", "h"), ("h", "b"), ("b", "out")))  # no bias: biases act from step 0
    drive = dyadic(rng, (1, 1, 6), low=0)
    same = neuro.simulate(neuro.compile_network(graph), drive, timesteps=30)
    piped = neuro.simulate(neuro.compile_network(graph, latency_model="pipelined"), drive, timesteps=32)
    # two projections, one step each: the pipelined network is the same one, two steps late
    assert same.output_counts.sum() > 0
    np.testing.assert_array_equal(piped.output_steps[:, 2:], same.output_steps)


def test_same_step_cycle_is_refused():
    graph = ir.Graph(
        nodes={"in": ir.Input((2,)), "w": ir.Dense(np.eye(2)), "n": ir.IF.uniform((2,)),
               "back": ir.Dense(np.eye(2))},
        edges=(("in", "w"), ("w", "n"), ("n", "back"), ("back", "n")))
    with pytest.raises(ValueError, match="cycle of same-step"):
        neuro.compile_network(graph)
    neuro.compile_network(graph, latency_model="pipelined")  # a one-step loop is fine


def test_two_weight_layers_without_population_are_refused():
    graph = ir.Graph(
        nodes={"in": ir.Input((2,)), "a": ir.Dense(np.eye(2)), "b": ir.Dense(np.eye(2)),
               "n": ir.IF.uniform((2,))},
        edges=(("in", "a"), ("a", "b"), ("b", "n")))
    with pytest.raises(ValueError, match="insert a population"):
        neuro.compile_network(graph)


def test_drive_is_checked():
    net = neuro.compile_network(_single_if(np.ones(3), 1.0))
    with pytest.raises(ValueError, match="input columns"):
        neuro.simulate(net, np.zeros((1, 1, 4)), timesteps=3)
    with pytest.raises(ValueError, match="encode.constant"):
        neuro.simulate(net, np.zeros((1, 3)), timesteps=3)
    with pytest.raises(ValueError, match="steps"):
        neuro.simulate(net, np.zeros((1, 2, 3)), timesteps=3)
    with pytest.raises(ValueError, match="NaN"):
        neuro.simulate(net, np.full((1, 1, 3), np.nan), timesteps=3)
    with pytest.raises(ValueError, match="timesteps"):
        neuro.simulate(net, np.zeros((1, 1, 3)), timesteps=0)


def test_threads_and_the_serial_entry_do_not_change_results(rng):
    """One thread runs the serial entry, two the parallel one (where Numba has two); a sample alone
    gives what it gives within the batch."""
    graph = build_network(5, "image", "conv", "dense", "LIF", "IF", "subtract", True, False)
    net = neuro.compile_network(graph)
    drive = dyadic(rng, (6, 1, 72), low=0)
    one = neuro.simulate(net, drive, timesteps=15, threads=1)
    two = neuro.simulate(net, drive, timesteps=15, threads=2)
    alone = neuro.simulate(net, drive[2:3], timesteps=15)
    np.testing.assert_array_equal(one.spike_counts, two.spike_counts)
    np.testing.assert_array_equal(one.output_v_steps, two.output_v_steps)
    np.testing.assert_array_equal(one.counters.synops, two.counters.synops)
    np.testing.assert_array_equal(alone.spike_counts, two.spike_counts[2:3])


def test_max_pool_gate_passes_the_rate_of_the_busiest_neuron():
    rates = np.array([0.25, 0.5, 0.375, 0.125, 0.0, 0.75, 0.5, 0.25])
    graph = ir.Graph(
        nodes={"in": ir.Input((2, 4)), "w": ir.Scale(np.ones((2, 4))), "n": ir.IF.uniform((2, 4)),
               "max": ir.MaxPool1d(4), "flat": ir.Flatten(), "id": ir.Dense(np.eye(2)),
               "out": ir.IF.uniform((2,), v_threshold=0.5)},
        edges=(("in", "w"), ("w", "n"), ("n", "max"), ("max", "flat"), ("flat", "id"), ("id", "out")))
    timesteps = 64
    result = neuro.simulate(neuro.compile_network(graph), encode.constant(rates.reshape(1, 2, 4)),
                            timesteps=timesteps)
    passed = result.output_counts[0] * 0.5 + result.output_v[0]  # events that reached "out"
    np.testing.assert_allclose(passed, [0.5 * timesteps, 0.75 * timesteps], atol=2)
    # an average pool would have passed the mean instead
    assert passed[0] > rates[:4].mean() * timesteps + 8


def test_average_pooling_after_a_max_pool_gate_averages_the_window_maxima():
    """gate -> avg-pool -> weight layer: the pooling is linear in the events the gate passes, so the
    target receives the mean of the windows' largest rates (kernel and reference alike)."""
    rates = np.array([[0.25, 0.5, 0.375, 0.125, 0.0, 0.75, 0.5, 0.25]])
    graph = ir.Graph(
        nodes={"in": ir.Input((1, 8)), "w": ir.Scale(np.ones((1, 8))), "n": ir.IF.uniform((1, 8)),
               "max": ir.MaxPool1d(2), "avg": ir.AvgPool1d(2, stride=1), "flat": ir.Flatten(),
               "id": ir.Dense(np.eye(3)), "out": ir.IF.uniform((3,), v_threshold=1e9)},  # never fires: v is the sum
        edges=(("in", "w"), ("w", "n"), ("n", "max"), ("max", "avg"), ("avg", "flat"), ("flat", "id"),
               ("id", "out")))
    timesteps = 64
    drive = encode.constant(rates.reshape(1, 1, 8))
    fast = neuro.simulate(neuro.compile_network(graph), drive, timesteps=timesteps)
    slow = neuro.simulate(neuro.compile_network(graph), drive, timesteps=timesteps, kernel="reference")
    maxima = rates.reshape(4, 2).max(1)  # 0.5, 0.375, 0.75, 0.5: overlapping pairs of them are averaged
    np.testing.assert_allclose(fast.output_v[0], (maxima[:-1] + maxima[1:]) / 2 * timesteps, atol=1)
    np.testing.assert_array_equal(fast.output_v, slow.output_v)
    np.testing.assert_array_equal(fast.counters.synops, slow.counters.synops)


def test_max_pool_must_follow_a_population():
    with pytest.raises(ValueError, match="must follow a neuron population"):
        ir.Graph(nodes={"in": ir.Input((1, 4)), "max": ir.MaxPool1d(2), "n": ir.IF.uniform((1, 2))},
                 edges=(("in", "max"), ("max", "n")))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), threshold=st.integers(0, 3),
       activation=st.sampled_from(["identity", "relu", "hard_sigmoid", "hard_tanh"]), recurrent=st.booleans(),
       timesteps=st.integers(1, 8))
def test_graded_populations_equal_the_reference(seed, threshold, activation, recurrent, timesteps):
    from tests.test_neuro.networks import build_graded_network

    graph = build_graded_network(seed, threshold, activation, recurrent)
    drive = dyadic(np.random.default_rng(seed), (2, timesteps, 3))
    _, fast, slow = _both(graph, drive, timesteps)
    np.testing.assert_array_equal(fast.spike_counts, slow.spike_counts)
    np.testing.assert_array_equal(fast.output_steps, slow.output_steps)  # the graded output's events, per step
    # products of dyadic numbers fed back through a loop outgrow float64's mantissa after a few
    # steps, so the summation order can show in the last bits: values to 1e-12, events exactly
    np.testing.assert_allclose(fast.output_v_steps, slow.output_v_steps, rtol=0, atol=1e-12)
    for field in ("events", "synops", "neuron_updates"):
        np.testing.assert_array_equal(getattr(fast.counters, field), getattr(slow.counters, field))


def test_sigma_delta_at_threshold_zero_reproduces_the_dense_computation():
    from tests.test_neuro.networks import build_graded_network

    graph = build_graded_network(7, 0, "hard_sigmoid", False)
    rng = np.random.default_rng(7)
    x = dyadic(rng, (5, 12, 3))
    result = neuro.simulate(neuro.compile_network(graph), x, timesteps=12)
    nodes = graph.nodes
    a = np.clip(0.25 * (x @ nodes["wa"].weight.T + nodes["wa"].bias) + 0.5, 0, 1)
    b = np.clip(x @ nodes["wb"].weight.T, -1, 1)
    expected = (a * b) @ nodes["wo"].weight.T + nodes["wo"].bias
    np.testing.assert_allclose(result.output_v_steps, expected, atol=1e-12)
    assert result.counters.events.sum() > 0


def test_a_larger_threshold_sends_fewer_events():
    from tests.test_neuro.networks import build_graded_network

    x = dyadic(np.random.default_rng(3), (4, 20, 3))
    events = []
    for threshold in (0, 1, 3):
        graph = build_graded_network(3, threshold, "relu", True)
        events.append(neuro.simulate(neuro.compile_network(graph), x, timesteps=20).counters.events.sum())
    assert events[0] > events[1] > events[2]


@pytest.mark.parametrize("complete", [True, False])
@pytest.mark.parametrize("delay", [0, 2])
def test_an_all_to_all_sparse_map_runs_as_a_dense_core_with_the_same_results(complete, delay, rng):
    """A Sparse map joining every input to every output with one delay is lowered to a dense core
    plus a projection delay (as an LSTM's recurrence is); anything else keeps its explicit synapses."""
    pre, post = (a.ravel() for a in np.meshgrid(np.arange(5), np.arange(4), indexing="ij"))
    if not complete:
        pre, post = pre[1:], post[1:]
    sparse = ir.Sparse(5, 4, pre, post, dyadic(rng, pre.size) * 3, delay=np.full(pre.size, delay))
    graph = ir.Graph(nodes={"in": ir.Input((5,)), "s": sparse, "n": ir.LIF.uniform((4,), tau=0.02),
                            "back": ir.Sparse(4, 4, [0, 1], [2, 3], [0.5, -0.25], delay=[1, 1])},
                     edges=(("in", "s"), ("s", "n"), ("n", "back"), ("back", "n")))
    net, fast, slow = _both(graph, dyadic(rng, (2, 12, 5)) * 4, 12)
    from neuro.compile import CORE_DENSE, CORE_SYNAPSES

    assert net.projections.core[0] == (CORE_DENSE if complete else CORE_SYNAPSES)
    assert fast.spike_counts.sum() > 0
    np.testing.assert_array_equal(fast.spike_counts, slow.spike_counts)
    np.testing.assert_array_equal(fast.output_v_steps, slow.output_v_steps)
    for field in ("events", "synops", "neuron_updates"):
        np.testing.assert_array_equal(getattr(fast.counters, field), getattr(slow.counters, field))


def test_an_output_the_kernel_keeps_channels_last_is_recorded_in_natural_order(rng):
    """A population that a convolution writes into is stored channels-last; when it is the output,
    the kernel records each neuron straight into its natural column. Spikes and membranes per
    step must be the oracle's, which keeps natural order throughout."""
    graph = ir.Graph(nodes={"in": ir.Input((2, 5, 5)), "conv": ir.Conv2d(dyadic(rng, (3, 2, 3, 3)), padding=1),
                            "out": ir.IF.uniform((3, 5, 5), v_threshold=0.5)},
                     edges=(("in", "conv"), ("conv", "out")))
    net, fast, slow = _both(graph, dyadic(rng, (2, 10, 50), low=0) * 4, 10)
    natural = np.arange(75)
    assert not np.array_equal(net.stored_index[net.slice_of("out")] - net.slice_of("out").start, natural)
    assert fast.output_counts.sum() > 0
    np.testing.assert_array_equal(fast.output_steps, slow.output_steps)
    np.testing.assert_array_equal(fast.output_v_steps, slow.output_v_steps)
    np.testing.assert_array_equal(fast.spike_counts, slow.spike_counts)


@pytest.mark.parametrize("float32_rows", [True, False])
def test_dense_rows_are_summed_in_event_order_whatever_their_number(float32_rows):
    """The kernel adds a dense core's rows eight at a time; each target must still take them in
    event order, as one row at a time would. Weights and payloads here are not dyadic, so the
    order shows in the rounding: the membrane after one step (an IF neuron that does not fire
    holds exactly what arrived) must equal the sum taken row by row in NumPy, bit for bit, for
    event counts below, at and past the pass of eight."""
    rng = np.random.default_rng(5)
    weights = rng.normal(size=(7, 21))
    if float32_rows:
        weights = weights.astype(np.float32).astype(np.float64)
    graph = ir.Graph(nodes={"in": ir.Input((21,)), "fc": ir.Dense(weights),
                            "out": ir.IF.uniform((7,), v_threshold=1e9)},
                     edges=(("in", "fc"), ("fc", "out")))
    net = neuro.compile_network(graph)
    assert list(net.projections.narrow) == [int(float32_rows)]
    for n_events in (3, 8, 13, 16, 21):
        payloads = np.zeros(21)
        payloads[rng.permutation(21)[:n_events]] = rng.normal(size=n_events)
        expected = np.zeros(7)
        for source in np.flatnonzero(payloads):  # the order the kernel meets them: ascending index
            expected += payloads[source] * weights[:, source]
        result = neuro.simulate(net, payloads.reshape(1, 1, 21), timesteps=1)
        np.testing.assert_array_equal(result.output_v_steps[0, 0], expected)
        # the sum in another order differs somewhere, or this test could not see a reordering
        assert n_events < 8 or not np.array_equal(expected, weights @ payloads)


def test_dense_rows_are_kept_in_float32_only_when_it_holds_every_weight_exactly(rng):
    """A dense core whose weights float32 holds exactly streams half the bytes; one that needs
    float64 keeps it. Both give the oracle's results bit for bit."""
    exact = dyadic(rng, (6, 5)) * 4
    wide = dyadic(rng, (3, 6)) * 4 + 2.0 ** -40  # 2**-40 on top of 1/64 steps: more bits than float32 has
    graph = ir.Graph(nodes={"in": ir.Input((5,)), "a": ir.Dense(exact), "n": ir.IF.uniform((6,)),
                            "b": ir.Dense(wide), "out": ir.IF.uniform((3,), v_threshold=0.5)},
                     edges=(("in", "a"), ("a", "n"), ("n", "b"), ("b", "out")))
    net, fast, slow = _both(graph, dyadic(rng, (2, 16, 5), low=0) * 4, 16)
    assert list(net.projections.narrow) == [1, 0]
    assert net.projections.weights32.dtype == np.float32 and net.projections.weights32.size == exact.size
    assert fast.counts_of("n").sum() > 0 and fast.output_counts.sum() > 0
    np.testing.assert_array_equal(fast.spike_counts, slow.spike_counts)
    np.testing.assert_array_equal(fast.output_v_steps, slow.output_v_steps)


@pytest.mark.engine
@pytest.mark.parametrize("kind", ["IF", "LIF", "CubaLIF"])
@pytest.mark.parametrize("reset", ["subtract", "value"])
def test_the_uniform_fast_paths_equal_the_reference(kind, reset):
    # one threshold and one set of step constants per population: the kernel reads them once (its uniform
    # paths), which the generated networks above reach only when they draw uniform=True
    graph = build_network(7, "image", "conv", "dense", kind, kind, reset, True, False, uniform=True)
    rng = np.random.default_rng(7)
    drive = dyadic(rng, (3, 12, int(np.prod(graph.shapes["in"]))))
    net, fast, slow = _both(graph, drive, 12, "same-step")
    position = net.names.index("pop1")
    assert net.populations.uniform[position] and net.populations.uniform_spike[position]
    np.testing.assert_array_equal(fast.spike_counts, slow.spike_counts)
    np.testing.assert_array_equal(fast.output_v_steps, slow.output_v_steps)
    assert fast.spike_counts.sum() > 0


@pytest.mark.parametrize("conv", [ir.Conv2d(dyadic(np.random.default_rng(1), (1, 2, 3, 3)), padding=1, stride=2),
                                  ir.Conv1d(dyadic(np.random.default_rng(2), (1, 2, 3)), padding=1)],
                         ids=["conv2d", "conv1d"])
def test_a_convolution_into_one_channel_takes_the_natural_order_path_and_equals_the_reference(conv):
    # a single output channel is stored in natural order (channels-last is the same order), so the kernel
    # scatters through its per-channel loop, not the contiguous runs of a channels-last target
    shape = (2, 6, 6) if isinstance(conv, ir.Conv2d) and not isinstance(conv, ir.Conv1d) else (2, 8)
    cells = ir.IF.uniform(conv.output_shape(shape), v_threshold=0.5)
    graph = ir.Graph(nodes={"in": ir.Input(shape), "c": conv, "n": cells}, edges=(("in", "c"), ("c", "n")))
    net = neuro.compile_network(graph)
    assert net.projections.channels_last.tolist() == [0]
    drive = dyadic(np.random.default_rng(3), (2, 6, int(np.prod(shape))), low=0)
    _, fast, slow = _both(graph, drive, 6)
    np.testing.assert_array_equal(fast.spike_counts, slow.spike_counts)
    np.testing.assert_array_equal(fast.output_v_steps, slow.output_v_steps)
    assert fast.spike_counts.sum() > 0
