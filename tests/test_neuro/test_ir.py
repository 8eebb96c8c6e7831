import numpy as np
import pytest

from neuro import ir


def _chain(*pairs):
    return tuple(zip(pairs[:-1], pairs[1:], strict=True))


def test_arrays_are_private_read_only_copies():
    weight = np.ones((2, 3))
    node = ir.Dense(weight)
    weight[0, 0] = 5
    assert node.weight[0, 0] == 1
    with pytest.raises(ValueError):
        node.weight[0, 0] = 2
    with pytest.raises(AttributeError):
        node.weight = np.zeros((2, 3))


@pytest.mark.parametrize("make, message", [
    (lambda: ir.Dense(np.ones(3)), "2-D"),
    (lambda: ir.Dense(np.ones((2, 3)), bias=np.ones(3)), "bias"),
    (lambda: ir.Dense(np.array([[1.0, np.nan]])), "NaN"),
    (lambda: ir.Conv2d(np.ones((4, 1, 3, 3)), groups=3), "divisible"),
    (lambda: ir.Conv2d(np.ones((4, 1, 3, 3)), stride=0), "stride"),
    (lambda: ir.Conv1d(np.ones((4, 1, 3)), padding=-1), "padding"),
    (lambda: ir.AvgPool2d(2, padding=2), "padding"),
    (lambda: ir.IF.uniform((3,), v_threshold=0.0), "positive"),
    (lambda: ir.IF(v_threshold=np.ones(3), r=np.ones(2)), "shape"),
    (lambda: ir.IF.uniform((3,), reset="zero"), "reset"),
    (lambda: ir.LIF.uniform((3,), tau=-1.0), "tau"),
    (lambda: ir.Sparse(3, 2, pre=[0, 5], post=[0, 1], weight=[1, 1]), "pre"),
    (lambda: ir.Sparse(3, 2, pre=[0], post=[0, 1], weight=[1, 1]), "same length"),
    (lambda: ir.Sparse(3, 2, pre=[0], post=[0], weight=[1], delay=[-1]), "delay"),
    (lambda: ir.Sparse(3, 2, pre=[0.5], post=[0], weight=[1]), "integers"),
    (lambda: ir.Input(()), "shape"),
])
def test_nodes_validate_at_construction(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_shapes_are_inferred_through_conv_pool_and_flatten():
    graph = ir.Graph(
        nodes={"in": ir.Input((2, 9, 8)),
               "conv": ir.Conv2d(np.ones((4, 2, 3, 3)), stride=2, padding=1),
               "n1": ir.IF.uniform((4, 5, 4)), "pool": ir.AvgPool2d(2), "flat": ir.Flatten(),
               "fc": ir.Dense(np.ones((3, 16))), "out": ir.IF.uniform((3,))},
        edges=_chain("in", "conv", "n1", "pool", "flat", "fc", "out"))
    assert graph.shapes["conv"] == (4, 5, 4)
    assert graph.shapes["pool"] == (4, 2, 2)
    assert graph.shapes["flat"] == (16,)
    assert graph.output == "out"
    assert graph.populations == ("n1", "out")


@pytest.mark.parametrize("nodes, edges, message", [
    ({"in": ir.Input((3,)), "n": ir.IF.uniform((3,))}, (("in", "m"),), "unknown node 'm'"),
    ({"in": ir.Input((3,)), "w": ir.Dense(np.ones((2, 4))), "n": ir.IF.uniform((2,))},
     (("in", "w"), ("w", "n")), "expects input shape"),
    ({"in": ir.Input((3,)), "w": ir.Dense(np.ones((2, 3))), "n": ir.IF.uniform((4,))},
     (("in", "w"), ("w", "n")), "has shape"),
    ({"in": ir.Input((3,)), "n": ir.IF.uniform((3,)), "w": ir.Dense(np.ones((3, 3)))},
     (("in", "n"), ("n", "in")), "Input node 'in' cannot have incoming"),
    ({"in": ir.Input((3,)), "w": ir.Dense(np.ones((3, 3))), "n": ir.IF.uniform((3,))},
     (("in", "n"),), "no incoming edge"),
    ({"a": ir.Input((3,)), "b": ir.Input((3,)), "w": ir.Dense(np.ones((3, 3))),
      "n": ir.IF.uniform((3,))}, (("a", "w"), ("b", "w"), ("w", "n")), "only neuron populations"),
    ({"in": ir.Input((1, 2, 2)), "c": ir.Conv2d(np.ones((1, 1, 3, 3))), "n": ir.IF.uniform((1, 1, 1))},
     (("in", "c"), ("c", "n")), "kernel larger"),
])
def test_graph_errors_name_the_problem(nodes, edges, message):
    with pytest.raises(ValueError, match=message):
        ir.Graph(nodes=nodes, edges=edges)


def test_graph_is_immutable_and_equal_compares_structure():
    def make(w):
        return ir.Graph(nodes={"in": ir.Input((2,)), "w": ir.Dense(w), "n": ir.IF.uniform((2,))},
                        edges=_chain("in", "w", "n"), metadata={"source": "test"})

    a, b, c = make(np.eye(2)), make(np.eye(2)), make(2 * np.eye(2))
    assert ir.equal(a, b) and not ir.equal(a, c)
    with pytest.raises(TypeError):
        a.nodes["x"] = ir.Input((1,))
    with pytest.raises(TypeError):
        a.metadata["source"] = "other"


def test_the_readout_population_can_be_named():
    nodes = {"in": ir.Input((2,)), "w": ir.Dense(np.eye(2)), "a": ir.IF.uniform((2,)), "rec": ir.Dense(np.eye(2)),
             "b": ir.IF.uniform((2,)), "back": ir.Dense(np.eye(2))}
    edges = _chain("in", "w", "a", "rec", "b", "back") + (("back", "a"),)
    with pytest.raises(ValueError, match="metadata"):
        _ = ir.Graph(nodes=nodes, edges=edges).output
    assert ir.Graph(nodes=nodes, edges=edges, metadata={"output": "b"}).output == "b"
    with pytest.raises(ValueError, match="not a neuron population"):
        _ = ir.Graph(nodes=nodes, edges=edges, metadata={"output": "w"}).output


def test_a_long_chain_is_built_in_linear_time():
    # issue 21: a 2,000-node chained network file took 69 s to load (each node scanned every edge, in a loop
    # repeated until nothing changed); 4,000 nodes now take a fraction of a second (the bound is generous)
    import time

    nodes, edges, previous = {"in": ir.Input((2,))}, [], "in"
    for k in range(2000):
        nodes[f"w{k}"], nodes[f"n{k}"] = ir.Dense(np.eye(2)), ir.IF.uniform((2,))
        edges += [(previous, f"w{k}"), (f"w{k}", f"n{k}")]
        previous = f"n{k}"
    start = time.perf_counter()
    graph = ir.Graph(nodes=nodes, edges=tuple(edges))
    assert time.perf_counter() - start < 10
    assert graph.shapes["w1999"] == (2,) and graph.predecessors("n1999") == ("w1999",)
    assert graph.successors("in") == ("w0",) and graph.output == "n1999"
