"""Small graph factories and a hypothesis strategy of generated networks."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from neuro import ir


def dyadic(rng: np.random.Generator, shape, scale: int = 8, low: int = -8, high: int = 8) -> np.ndarray:
    """Multiples of 1/scale: sums of these are exact in float64, whatever the order."""
    return rng.integers(low, high + 1, size=shape) / scale


def population(kind: str, shape, rng: np.random.Generator, reset: str, uniform: bool = False,
               signed: bool = False):
    """A population with per-neuron parameters, or (``uniform``) one value of each for all its neurons: the
    kernel's uniform fast paths (one threshold, one set of step constants) are taken only then. ``signed``
    makes an IF population with reset by subtraction a signed one (negative spikes)."""

    def values(draw):
        return np.full(shape, draw(None)) if uniform else draw(shape)

    threshold = values(lambda size: rng.integers(2, 9, size=size) / 8)
    v_reset = values(lambda size: rng.integers(-2, 2, size=size) / 8)
    v_initial = rng.integers(0, 4, size=shape) / 8  # the starting state may differ even where constants do not
    if kind == "IF":
        return ir.IF(v_threshold=threshold, v_reset=v_reset, v_initial=v_initial, reset=reset,
                     signed=signed and reset == "subtract")
    if kind == "LIF":
        return ir.LIF(tau=values(lambda size: rng.uniform(2e-3, 2e-2, size=size)), v_threshold=threshold,
                      v_leak=values(lambda size: rng.integers(-1, 2, size=size) / 8), v_reset=v_reset,
                      v_initial=v_initial, reset=reset)
    return ir.CubaLIF(tau_syn=values(lambda size: rng.uniform(2e-3, 1e-2, size=size)),
                      tau_mem=values(lambda size: rng.uniform(2e-3, 2e-2, size=size)), v_threshold=threshold,
                      w_in=values(lambda size: rng.integers(1, 5, size=size) / 4), v_reset=v_reset,
                      v_initial=v_initial, reset=reset)


def build_network(seed: int, input_kind: str, first: str, second: str, pop1: str, pop2: str,
                  reset: str, recurrent: bool, residual: bool, gate: bool | str = False,
                  uniform: bool = False, signed: bool = False) -> ir.Graph:
    """A two-population network covering every node type the engine delivers through.

    ``gate``: a spiking max-pool before the readout; ``"pooled"``: one followed by overlapping
    average pooling (each window then feeds several of the weight layer's inputs)."""
    rng = np.random.default_rng(seed)
    nodes: dict[str, object] = {}
    edges: list[tuple[str, str]] = []
    if input_kind == "vector":
        nodes["in"] = ir.Input((6,))
    elif input_kind == "signal":
        nodes["in"] = ir.Input((2, 8))
    else:
        nodes["in"] = ir.Input((2, 6, 6))
    shape = nodes["in"].shape
    chain = "in"

    def add(name, node):
        nonlocal chain, shape
        nodes[name] = node
        edges.append((chain, name))
        chain = name
        shape = ir.Graph(nodes=nodes, edges=tuple(edges)).shapes[name]

    if first == "conv" and len(shape) > 1:
        if len(shape) == 2:
            add("conv", ir.Conv1d(dyadic(rng, (4, 1, 3)), bias=dyadic(rng, 4, 16, -2, 2),
                                  stride=int(rng.integers(1, 3)), padding=int(rng.integers(0, 2)),
                                  groups=2))
        else:
            add("conv", ir.Conv2d(dyadic(rng, (3, 2, 3, 2)), bias=dyadic(rng, 3, 16, -2, 2),
                                  stride=(int(rng.integers(1, 3)), 1), padding=(1, int(rng.integers(0, 2))),
                                  dilation=(1, int(rng.integers(1, 3)))))
    elif first == "pool-conv" and len(shape) > 1:
        if len(shape) == 2:
            add("pool", ir.AvgPool1d(2))
            add("conv", ir.Conv1d(dyadic(rng, (3, 2, 2)), padding=1))
        else:
            add("pool", ir.AvgPool2d(2, stride=1))
            add("conv", ir.Conv2d(dyadic(rng, (2, 2, 2, 2))))
    else:
        if len(shape) > 1:
            add("flat0", ir.Flatten())
        add("dense", ir.Dense(dyadic(rng, (5, shape[0])), bias=dyadic(rng, 5, 16, -2, 2)))
    gated = gate and len(shape) > 1  # a max-pool gate reads counts that a negative spike would lower
    nodes["pop1"] = population(pop1, shape, rng, reset, uniform, signed and not gated)
    edges.append((chain, "pop1"))
    chain, hidden = "pop1", shape
    if residual:  # the input scaled onto the first population, as a shortcut
        nodes["skip"] = ir.Scale(dyadic(rng, nodes["in"].shape))
        edges.append(("in", "skip"))
        if nodes["in"].shape == hidden:
            edges.append(("skip", "pop1"))
        else:
            nodes["skipflat"] = ir.Flatten()
            nodes["skipdense"] = ir.Dense(dyadic(rng, (int(np.prod(hidden)), int(np.prod(nodes["in"].shape)))))
            edges += [("skip", "skipflat"), ("skipflat", "skipdense")]
            if len(hidden) == 1:
                edges.append(("skipdense", "pop1"))
            else:
                del nodes["skip"], nodes["skipflat"], nodes["skipdense"]
                edges = [e for e in edges if "skip" not in e[0] and "skip" not in e[1]]
    if recurrent:
        n = int(np.prod(hidden))
        k = 2 * n
        nodes["rec_flat"] = ir.Flatten()
        nodes["rec"] = ir.Sparse(n_in=n, n_out=n, pre=rng.integers(0, n, k), post=rng.integers(0, n, k),
                                 weight=dyadic(rng, k), delay=rng.integers(1, 3, k))
        edges += [("pop1", "rec_flat"), ("rec_flat", "rec")]
        if len(hidden) == 1:
            edges.append(("rec", "pop1"))
        else:
            nodes["rec_pop"] = population("IF", (n,), rng, reset, signed=signed)
            edges.append(("rec", "rec_pop"))
            nodes["rec_back"] = ir.Dense(dyadic(rng, (3, n)))
            edges.append(("rec_pop", "rec_back"))
            nodes["rec_sink"] = population("IF", (3,), rng, reset, signed=signed)
            edges.append(("rec_back", "rec_sink"))
            nodes["rec_into_out"] = ir.Dense(dyadic(rng, (4, 3)))
            edges.append(("rec_sink", "rec_into_out"))
    if len(hidden) > 1 and gate:  # spiking max-pool, overlapping windows with padding
        nodes["pool2"] = ir.MaxPool1d(3, stride=2, padding=1) if len(hidden) == 2 else \
            ir.MaxPool2d((2, 2), stride=1, padding=(1, 0))
        edges.append((chain, "pool2"))
        chain = "pool2"
        if gate == "pooled":
            nodes["pool3"] = ir.AvgPool1d(2, stride=1) if len(hidden) == 2 else ir.AvgPool2d(2, stride=1)
            edges.append((chain, "pool3"))
            chain = "pool3"
        nodes["flat"] = ir.Flatten()
        edges.append((chain, "flat"))
        chain = "flat"
    elif len(hidden) > 1:
        nodes["pool2"] = ir.AvgPool1d(2) if len(hidden) == 2 else ir.AvgPool2d((2, 1))
        edges.append((chain, "pool2"))
        chain = "pool2"
        nodes["flat"] = ir.Flatten()
        edges.append((chain, "flat"))
        chain = "flat"
    width = ir.Graph(nodes=nodes, edges=tuple(edges)).shapes[chain][0]
    if second == "sparse":
        k = 3 * width
        nodes["out_w"] = ir.Sparse(n_in=width, n_out=4, pre=rng.integers(0, width, k),
                                   post=rng.integers(0, 4, k), weight=dyadic(rng, k),
                                   delay=rng.integers(0, 3, k))
    else:
        nodes["out_w"] = ir.Dense(dyadic(rng, (4, width)), bias=dyadic(rng, 4, 16, -2, 2))
    edges.append((chain, "out_w"))
    nodes["out"] = population(pop2, (4,), rng, reset, uniform, signed)
    edges.append(("out_w", "out"))
    if "rec_into_out" in nodes:
        edges.append(("rec_into_out", "out"))
    return ir.Graph(nodes=nodes, edges=tuple(edges))


network_specs = st.fixed_dictionaries({
    "seed": st.integers(0, 2**31 - 1),
    "input_kind": st.sampled_from(["vector", "signal", "image"]),
    "first": st.sampled_from(["dense", "conv", "pool-conv"]),
    "second": st.sampled_from(["dense", "sparse"]),
    "pop1": st.sampled_from(["IF", "LIF", "CubaLIF"]),
    "pop2": st.sampled_from(["IF", "LIF", "CubaLIF"]),
    "reset": st.sampled_from(["subtract", "value"]),
    "recurrent": st.booleans(),
    "residual": st.booleans(),
    "gate": st.sampled_from([False, True, "pooled"]),
    "uniform": st.booleans(),
    "signed": st.booleans(),
})


def build_graded_network(seed: int, threshold_eighths: int, activation: str, recurrent: bool) -> ir.Graph:
    """Sigma-delta and product populations, as in a converted LSTM, with dyadic weights."""
    rng = np.random.default_rng(seed)
    theta = threshold_eighths / 8

    def sigma(shape, act="identity", accumulate=True):
        return ir.SigmaDelta(threshold=np.full(shape, theta), activation=act, accumulate=accumulate)

    nodes = {
        "in": ir.Input((3,)), "x": sigma((3,), accumulate=False),
        "wa": ir.Dense(dyadic(rng, (4, 3)), bias=dyadic(rng, 4, 8, -4, 4)), "a": sigma((4,), activation),
        "wb": ir.Dense(dyadic(rng, (4, 3))), "b": sigma((4,), "hard_tanh"),
        "ab": ir.Product(threshold=np.full(4, theta), factors=("a", "b")),
        "wo": ir.Dense(dyadic(rng, (2, 4)), bias=dyadic(rng, 2, 8, -4, 4)), "out": sigma((2,)),
    }
    edges = [("in", "x"), ("x", "wa"), ("wa", "a"), ("x", "wb"), ("wb", "b"), ("a", "ab"), ("b", "ab"),
             ("ab", "wo"), ("wo", "out")]
    if recurrent:  # the product feeds back into 'a' one step later
        nodes["back"] = ir.Sparse(4, 4, np.arange(4), rng.permutation(4), dyadic(rng, 4, 8, -4, 4),
                                  np.ones(4, np.int64))
        edges += [("ab", "back"), ("back", "a")]
    return ir.Graph(nodes=nodes, edges=tuple(edges))
