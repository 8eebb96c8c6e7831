import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

import neuro
from neuro import io, ir
from tests.test_neuro.networks import build_network


@pytest.mark.parametrize("seed", range(4))
def test_round_trip_is_identity(tmp_path, seed):
    graph = build_network(seed, ["vector", "signal", "image", "image"][seed], "conv", "sparse",
                          "CubaLIF", "LIF", "value", seed % 2 == 0, True)
    graph = ir.Graph(nodes=graph.nodes, edges=graph.edges, metadata={"percentile": 99.9, "seed": seed})
    path = io.save(graph, tmp_path / "net.npz")
    loaded = io.load(path)
    assert ir.equal(graph, loaded)
    drive = np.random.default_rng(seed).integers(0, 4, (2, 1, int(np.prod(graph.shapes["in"])))) / 4
    a = neuro.simulate(neuro.compile_network(graph), drive, timesteps=10)
    b = neuro.simulate(neuro.compile_network(loaded), drive, timesteps=10)
    np.testing.assert_array_equal(a.spike_counts, b.spike_counts)


def _small(tmp_path):
    graph = ir.Graph(nodes={"in": ir.Input((2,)), "w": ir.Dense(np.eye(2)), "n": ir.IF.uniform((2,))},
                     edges=(("in", "w"), ("w", "n")))
    return io.save(graph, tmp_path / "small.npz")


def _rewrite(path, mutate):
    with np.load(path, allow_pickle=False) as archive:
        arrays = {k: archive[k] for k in archive.files}
    mutate(arrays)
    np.savez(path, **arrays)


def _header_edit(edit):
    def mutate(arrays):
        header = json.loads(arrays["__header__"].tobytes())
        edit(header)
        arrays["__header__"] = np.frombuffer(json.dumps(header).encode(), np.uint8)
    return mutate


@pytest.mark.parametrize("mutate, message", [
    (lambda a: a.pop("w/weight"), "lacks field 'weight'"),
    (lambda a: a.pop("__header__"), "missing the JSON header"),
    (lambda a: a.update({"w/weight": np.full((2, 2), np.nan)}), "NaN"),
    (lambda a: a.update({"w/weight": np.ones((2, 3))}), "expects input shape"),
    (lambda a: a.update({"extra": np.ones(2)}), "belong to no node"),
    (lambda a: a.update({"__header__": np.frombuffer(b"{not json", np.uint8)}), "corrupt JSON"),
    (_header_edit(lambda h: h["edges"].append(["n", "ghost"])), "unknown node 'ghost'"),
    (_header_edit(lambda h: h.update(version=99)), "format version"),
    (_header_edit(lambda h: h["nodes"]["n"].update(type="Pickle")), "unknown type"),
    (_header_edit(lambda h: h["nodes"]["n"]["fields"].update(colour=1)), "unknown fields"),
])
def test_damaged_files_are_refused_with_a_clear_message(tmp_path, mutate, message):
    path = _small(tmp_path)
    _rewrite(path, mutate)
    with pytest.raises(io.NetworkFileError, match=message) as error:
        io.load(path)
    assert str(path) in str(error.value)


def _typed(tmp_path):
    """A file with a field of every scalar kind: sizes (Input, Sparse), pairs (Conv2d, pool) and a conversion."""
    rng = np.random.default_rng(0)
    graph = ir.Graph(nodes={"in": ir.Input((1, 6, 6)), "c": ir.Conv2d(rng.normal(size=(2, 1, 3, 3))),
                            "p": ir.AvgPool2d(2), "f": ir.Flatten(), "s": ir.Sparse(8, 4, [0, 1], [1, 2], [1.0, 1.0]),
                            "n": ir.IF.uniform((4,))},
                     edges=(("in", "c"), ("c", "p"), ("p", "f"), ("f", "s"), ("s", "n")),
                     metadata={"dataset": "digits", "conversion": {"input": "analog", "layers": [{"population": "n"}]}})
    return io.save(graph, tmp_path / "typed.npz")


INF, HUGE = float("inf"), 10 ** 30


@pytest.mark.parametrize("edit, message", [
    # issue 21: each of these raised a traceback (AttributeError, TypeError, OverflowError) or loaded
    (lambda h: h.update(nodes=list(h["nodes"].items())), "header field 'nodes' must be an object of named nodes, "
                                                         "got a list"),
    (lambda h: h["nodes"].update(n="IF"), "node 'n' must be an object with a 'type' text, got a string"),
    (lambda h: h["nodes"]["c"].update(fields=[1]), "node 'c': its 'fields' must be an object, got a list"),
    (lambda h: h["nodes"]["c"]["fields"].update(stride=[INF, 1]), "node 'c' field stride[0] must be a whole number "
                                                                   "in 0..2147483647, got inf"),
    (lambda h: h["nodes"]["c"]["fields"].update(groups=INF), "node 'c' field groups must be a whole number"),
    (lambda h: h["nodes"]["s"]["fields"].update(n_in=INF), "node 's' field n_in must be a whole number"),
    (lambda h: h["nodes"]["s"]["fields"].update(n_in=HUGE), f"node 's' field n_in must be a whole number in "
                                                            f"0..2147483647, got {HUGE}"),
    (lambda h: h["nodes"]["in"]["fields"].update(shape=[HUGE]), "node 'in' field shape[0]"),
    (lambda h: h["nodes"]["in"]["fields"].update(shape=[65536, 65536, 65536]), "holds more than 2147483647"),
    (lambda h: h["nodes"]["p"]["fields"].update(kernel_size=[float("nan"), 2]), "field kernel_size[0]"),
    (lambda h: h["nodes"]["p"]["fields"].update(padding={"x": 1}), "field padding must be text, a flag or a whole"),
    (lambda h: h.update(edges={"in": "c"}), "header field 'edges' must be a list of [source, target]"),
    (lambda h: h.update(edges=[["in", "c", "p"]]), "header field 'edges' must be a list of [source, target]"),
    (lambda h: h.update(metadata=[1]), "header field 'metadata' must be an object, got a list"),
    (lambda h: h["metadata"].update(conversion=[1, 2]), "metadata.conversion must be an object, got a list"),
    (lambda h: h["metadata"].update(conversion="rate"), "metadata.conversion must be an object, got a string"),
    (lambda h: h["metadata"].update(dataset=5), "metadata.dataset must be text, got an integer"),
    (lambda h: h["metadata"]["conversion"].update(output_scale=INF), "metadata.conversion.output_scale must be a "
                                                                      "finite number"),
    (lambda h: h["metadata"].update(conversion={"input": "sequence", "layers": 1}),
     "metadata.conversion.hidden is missing"),
    (lambda h: h["metadata"]["conversion"].update(ticks_per_element=HUGE), "metadata.conversion.ticks_per_element "
                                                                           "must be a whole number in 1..2147483647"),
    (lambda h: h["metadata"]["conversion"].update(window=0), "metadata.conversion.window must be a whole number"),
    (lambda h: h["metadata"]["conversion"].update(approximations="none"), "approximations must be a list of texts"),
    (lambda h: h["metadata"].update(deep=json.loads("[" * 950 + "]" * 950)), "nested too deeply"),  # RecursionError
])
def test_header_fields_of_the_wrong_type_or_range_are_refused_in_one_line(tmp_path, edit, message):
    path = _typed(tmp_path)
    assert io.load(path).metadata["dataset"] == "digits"
    _rewrite(path, _header_edit(edit))
    with pytest.raises(io.NetworkFileError) as error:
        io.load(path)
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value) and "\n" not in str(error.value)


def test_truncated_and_foreign_files_are_refused(tmp_path):
    path = _small(tmp_path)
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(io.NetworkFileError, match="not a readable"):
        io.load(path)
    other = tmp_path / "other.npz"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("x.npy", b"garbage")
    with pytest.raises(io.NetworkFileError):
        io.load(other)
    with pytest.raises(io.NetworkFileError, match="no such file"):
        io.load(tmp_path / "missing.npz")


def test_object_arrays_are_never_unpickled(tmp_path):
    path = _small(tmp_path)
    _rewrite(path, lambda a: a.update({"w/weight": np.array([[object(), 1], [1, 1]], dtype=object)}))
    with pytest.raises(io.NetworkFileError, match="not a readable"):
        io.load(path)


def test_save_replaces_atomically_and_leaves_no_temporary(tmp_path):
    path = _small(tmp_path)
    _small(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_written_files_get_the_users_umask_and_a_folder_is_refused(tmp_path):
    import os

    from neuro.io import write_atomic

    previous = os.umask(0o027)
    try:
        path = write_atomic(tmp_path / "a.json", b"{}")
    finally:
        os.umask(previous)
    assert (path.stat().st_mode & 0o777) == 0o640  # 0666 less the umask 027, not mkstemp's private 0600
    (tmp_path / "folder").mkdir()
    with pytest.raises(IsADirectoryError, match="folder"):
        write_atomic(tmp_path / "folder", b"{}")


def _strict(text):
    """Parse as strict JSON: NaN and Infinity are refused, as a browser or jq refuses them."""
    def refuse(constant):
        raise ValueError(f"non-standard JSON constant {constant}")
    return json.loads(text, parse_constant=refuse)


def test_to_json_writes_null_and_the_reason_for_non_finite_numbers():
    row = {"energy_j_per_inference": float("inf"), "components": {"static": float("nan"), "synops": 1.5},
           "history": [1.0, -float("inf")], "latency": np.float64("inf"), "fits": True}
    parsed = _strict(io.to_json(row))
    assert parsed["energy_j_per_inference"] is None and parsed["components"] == {"static": None, "synops": 1.5}
    assert parsed["history"] == [1.0, None] and parsed["latency"] is None and parsed["fits"] is True
    assert parsed[io.NON_FINITE_KEY] == {"energy_j_per_inference": "inf", "components.static": "nan",
                                         "history[1]": "-inf", "latency": "inf"}
    rows = _strict(io.to_json([{"a": float("nan")}, {"a": 1.0}]))  # a list of rows: a reason in each row
    assert rows == [{"a": None, io.NON_FINITE_KEY: {"a": "nan"}}, {"a": 1.0}]
    finite = {"b": [1, 2.5, "x", None], "a": {"c": 3}}
    assert io.to_json(finite, sort_keys=True) == json.dumps(finite, indent=2, sort_keys=True).encode()


def test_every_json_file_is_written_through_the_strict_helper():
    # issue 21: json.dumps writes NaN and Infinity unless told not to; one helper says it once
    root = Path(__file__).resolve().parents[2]
    offenders = [str(path.relative_to(root)) for folder in ("neuro", "converters", "hardware_profiles", "benchmarks")
                 for path in (root / folder).rglob("*.py")
                 if "json.dump" in path.read_text() and path != root / "neuro" / "io.py"]
    assert offenders == []


def test_a_header_with_non_finite_metadata_is_not_saved(tmp_path):
    graph = ir.Graph(nodes={"in": ir.Input((2,)), "w": ir.Dense(np.eye(2)), "n": ir.IF.uniform((2,))},
                     edges=(("in", "w"), ("w", "n")), metadata={"conversion": {"output_scale": float("inf")}})
    with pytest.raises(ValueError, match="finite numbers"):
        io.save(graph, tmp_path / "x.npz")
    assert not (tmp_path / "x.npz").exists()
