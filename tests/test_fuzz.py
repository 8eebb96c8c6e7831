"""Fuzzing the input surfaces: a damaged network file or profile gives one clear line naming the file, or a
result that works, never a traceback, a hang or a runaway allocation (issue 21).

Each property starts from a valid file, damages it the way files get damaged (a value swapped for another
type, a huge or non-finite number, deep nesting, truncation), and loads it. Bounded: a few dozen examples
each, with the memory limit set low so that an unbounded allocation shows as a refusal.
"""

import json
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hardware_profiles as hp
from neuro import io, ir
from neuro.mapping import map_to_profile

REPLACEMENTS = st.sampled_from([None, "x", "", -1, 0, 1.5, 10**30, -(10**30), 1e308, True, [], {}, [[[[[]]]]],
                                {"a": {"b": {"c": []}}}, "nan", "inf", [1, 2, 3], "A" * 1000])

FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _network() -> ir.Graph:
    return ir.Graph(nodes={"in": ir.Input((1, 4, 4)), "c": ir.Conv2d(np.ones((2, 1, 3, 3)) / 8, padding=1),
                           "n": ir.IF.uniform((2, 4, 4)), "p": ir.AvgPool2d(2), "f": ir.Flatten(),
                           "w": ir.Dense(np.ones((3, 8)) / 8), "out": ir.IF.uniform((3,))},
                    edges=(("in", "c"), ("c", "n"), ("n", "p"), ("p", "f"), ("f", "w"), ("w", "out")),
                    metadata={"conversion": {"readout": "membrane", "layers": []}, "dataset": "digits"})


def _paths(value, prefix=()):
    """Every position in a JSON value, as a tuple of keys and indices."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _replace(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replace(value[path[0]], path[1:], new)
    return copy


def _one_clear_line(error: Exception, name: str) -> None:
    text = str(error)
    assert "\n" not in text and name in text and "Traceback" not in text, text


@pytest.fixture(scope="module")
def network_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "net.npz"
    io.save(_network(), path)
    with np.load(path, allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}
    return path, arrays


@FUZZ
@given(data=st.data())
def test_a_damaged_network_header_loads_or_is_refused_in_one_line(network_file, tmp_path, monkeypatch, data):
    monkeypatch.setenv("NEURO_MAX_BYTES", "64M")
    _, arrays = network_file
    header = json.loads(arrays["__header__"].tobytes().decode())
    paths = list(_paths(header))
    path = data.draw(st.sampled_from(paths), label="position")
    damaged = _replace(header, path, data.draw(REPLACEMENTS, label="value"))
    target = tmp_path / "damaged.npz"
    np.savez(target, **{**arrays, "__header__": np.frombuffer(json.dumps(damaged).encode(), np.uint8)})
    try:
        graph = io.load(target)
    except io.NetworkFileError as error:
        _one_clear_line(error, "damaged.npz")
        return
    assert isinstance(graph, ir.Graph) and graph.shapes  # loaded: a whole, consistent graph


@FUZZ
@given(cut=st.integers(0, 10_000))
def test_a_truncated_network_file_is_refused_in_one_line(network_file, tmp_path, cut):
    source, _ = network_file
    data = source.read_bytes()
    target = tmp_path / "cut.npz"
    target.write_bytes(data[:cut % len(data)])
    with pytest.raises(io.NetworkFileError) as error:
        io.load(target)
    _one_clear_line(error.value, "cut.npz")


PROFILE_TEXT = (hp.PROFILE_DIR / "loihi.toml").read_text()
NUMBERS = [m.span(1) for m in re.finditer(r"value = ([-0-9.eE+]+)", PROFILE_TEXT)]


@FUZZ
@given(position=st.integers(0, len(NUMBERS) - 1),
       token=st.sampled_from(["nan", "inf", "-inf", "-1", "0", "1e308", "1e-308", '"x"', "[]", "true", "{}",
                              "2000", "1", "0.5", "123456789012", "[[[[1]]]]"]))
def test_a_damaged_profile_is_refused_naming_file_and_key_or_runs(position, token):
    start, end = NUMBERS[position]
    text = PROFILE_TEXT[:start] + token + PROFILE_TEXT[end:]
    try:
        profile = hp.parse(text, "fuzzed.toml")
    except hp.ProfileError as error:
        _one_clear_line(error, "fuzzed.toml")
        return
    # a profile that passes the check runs: it maps a network and bills finite numbers
    mapped = map_to_profile(_network(), profile)
    energy = hp.estimate(profile.cost, {"synops": 100, "neuron_updates": 50, "events": 10}, steps=8,
                         chips=mapped.chips)
    assert energy.total_j is None or np.isfinite(energy.total_j)
    assert energy.latency_s is None or np.isfinite(energy.latency_s)


def _idx_bytes(array: np.ndarray, type_code: int) -> bytes:
    header = bytes([0, 0, type_code, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


IDX_IMAGES = _idx_bytes(np.arange(3 * 4 * 4, dtype=np.uint8).reshape(3, 4, 4), 0x08)


@FUZZ
@given(data=st.data(), compressed=st.booleans())
def test_a_damaged_idx_file_is_refused_in_one_line_or_read_whole(tmp_path, monkeypatch, data, compressed):
    import gzip

    from neuro.datasets import read_idx

    monkeypatch.setenv("NEURO_MAX_BYTES", "64M")
    raw = bytearray(IDX_IMAGES)
    damage = data.draw(st.sampled_from(["cut", "byte", "dims"]), label="damage")
    if damage == "cut":
        raw = raw[:data.draw(st.integers(0, len(raw) - 1), label="cut")]
    elif damage == "byte":  # any byte of the header (magic, type, rank, sizes) set to any value
        raw[data.draw(st.integers(0, 15), label="at")] = data.draw(st.integers(0, 255), label="value")
    else:  # a declared size from nothing to 2**32 - 1
        at = data.draw(st.sampled_from([4, 8, 12]), label="dimension")
        raw[at:at + 4] = data.draw(st.integers(0, 2**32 - 1), label="size").to_bytes(4, "big")
    payload = gzip.compress(bytes(raw), mtime=0) if compressed else bytes(raw)
    if compressed and data.draw(st.booleans(), label="cut the gzip stream"):
        payload = payload[:data.draw(st.integers(0, len(payload) - 1), label="gzip cut")]
    target = tmp_path / ("damaged.idx.gz" if compressed else "damaged.idx")
    target.write_bytes(payload)
    try:
        array = read_idx(target)
    except ValueError as error:
        _one_clear_line(error, "damaged.idx")
        return
    # read: exactly the values the header declares, which the file held in full
    header_size = 4 + 4 * raw[3]
    assert array.size * array.dtype.itemsize == len(raw) - header_size


@pytest.fixture(scope="module")
def nir_graph():
    from converters.interop.nir import to_nir

    graph = ir.Graph(nodes={"in": ir.Input((4,)), "w": ir.Dense(np.eye(3, 4)), "n": ir.IF.uniform((3,)),
                            "v": ir.Dense(np.ones((2, 3)) / 3), "out": ir.LIF.uniform((2,), tau=2e-3)},
                     edges=(("in", "w"), ("w", "n"), ("n", "v"), ("v", "out")))
    return to_nir(graph, extensions=True)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_damaged_nir_file_is_imported_whole_or_refused_in_one_line(nir_graph, tmp_path, capsys, data):
    import copy

    from converters.interop.nir import write_nir
    from neuro.app.cli import main

    damaged = copy.deepcopy(nir_graph)
    arrays = {name: [k for k, v in vars(item).items() if isinstance(v, np.ndarray)]
              for name, item in damaged.nodes.items()}
    node = data.draw(st.sampled_from(sorted(name for name, fields in arrays.items() if fields)), label="node")
    parameters = arrays[node]
    field = data.draw(st.sampled_from(parameters), label="field")
    value = data.draw(st.sampled_from(["nan", "inf", "huge", "negative", "zero", "shape", "rank", "empty"]),
                      label="value")
    array = np.asarray(getattr(damaged.nodes[node], field), np.float64)
    replacement = {"nan": np.full_like(array, np.nan), "inf": np.full_like(array, np.inf),
                   "huge": np.full_like(array, 1e300), "negative": -np.abs(array) - 1, "zero": np.zeros_like(array),
                   "shape": np.ones(array.size + 1), "rank": np.ones((2, 2, 2)), "empty": np.ones(0)}[value]
    setattr(damaged.nodes[node], field, replacement)
    source = tmp_path / "damaged.nir"
    write_nir(damaged, source)
    if data.draw(st.booleans(), label="truncate"):
        raw = source.read_bytes()
        source.write_bytes(raw[:data.draw(st.integers(0, len(raw) - 1), label="cut")])
    out = tmp_path / "back.npz"
    out.unlink(missing_ok=True)
    code = main(["import", str(source), "--out", str(out)])
    if code == 2:
        error = capsys.readouterr().err
        assert error.count("\n") == 1 and "Traceback" not in error, error
        assert not out.exists()
        return
    assert code == 0
    graph = io.load(out)  # written, so whole: it loads and every parameter is finite
    assert graph.shapes
    for item in graph.nodes.values():
        for parameter in ir.node_fields(item).values():
            if isinstance(parameter, np.ndarray) and parameter.dtype.kind == "f":
                assert np.all(np.isfinite(parameter))
