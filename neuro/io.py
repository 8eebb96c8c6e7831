"""Network files: NumPy arrays in an ``.npz`` plus a JSON header. Never pickle.

The header (stored as the array ``__header__``, UTF-8 bytes) lists the format
version, every node with its type and scalar fields, the edges and the metadata;
array fields are stored under ``"<node>/<field>"``. Loading checks everything and
refuses a corrupt, incomplete or inconsistent file before building any node: the
header's parts by type, its sizes as whole numbers within int32, the metadata the
library reads (``conversion`` and its counts) by type and range, with one line
naming the file and the field.
Writes go to a temporary file in the target folder, then an atomic rename.

Every JSON file the project writes (results, fit reports, bench results) goes
through :func:`to_json`: strict JSON, which has no NaN or Infinity.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import zipfile
from dataclasses import fields
from io import BytesIO
from pathlib import Path

import numpy as np

from neuro import ir
from neuro.limits import check_allocation

__all__ = ["save", "load", "NetworkFileError", "FORMAT", "FORMAT_VERSION", "write_atomic", "to_json", "write_json",
           "NON_FINITE_KEY"]

FORMAT = "neuro-network"
FORMAT_VERSION = 1


class NetworkFileError(ValueError):
    """A network file that cannot be read; the message names the file and the problem."""


def current_umask() -> int:
    """The process's umask, read without changing it where Linux allows (os.umask can only set it, and
    setting it for a moment would race with files other threads create)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path, data: bytes) -> Path:
    """Write bytes to ``path`` through a temporary file and a rename; the file gets the user's umask
    (a temporary file is created private, mode 0600, which would otherwise stick)."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; give a file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~current_umask())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return path


NON_FINITE_KEY = "non_finite"


def _finite(value, path: str, found: dict[str, str]):
    """``value`` with each non-finite float replaced by None, noting ``path -> "inf"`` (or "nan") in ``found``."""
    if isinstance(value, dict):
        return {key: _finite(item, f"{path}.{key}" if path else str(key), found) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item, f"{path}[{i}]", found) for i, item in enumerate(value)]
    if isinstance(value, float | np.floating) and not math.isfinite(value):
        found[path] = str(float(value))
        return None
    return value


def _record(value) -> dict:
    """A result record with its non-finite numbers as null and, when there were any, the reason beside them."""
    found: dict[str, str] = {}
    record = _finite(value, "", found)
    if found:
        record[NON_FINITE_KEY] = found
    return record


def to_json(value, *, indent: int | None = 2, sort_keys: bool = False) -> bytes:
    """``value`` as strict JSON (UTF-8 bytes): never ``NaN`` or ``Infinity``, which Python writes by
    default and strict readers (browsers, ``jq``, most languages) refuse.

    A non-finite number becomes ``null``. In a result record (the value itself when it
    is a dict, each dict of a list of rows) the key :data:`NON_FINITE_KEY` then says
    which fields were nulled and what they were, e.g. ``{"energy_j_per_inference": "inf"}``.
    """
    if isinstance(value, dict):
        value = _record(value)
    elif isinstance(value, list | tuple):
        value = [_record(row) if isinstance(row, dict) else _finite(row, f"[{i}]", {}) for i, row in enumerate(value)]
    else:
        value = _finite(value, "", {})
    return json.dumps(value, indent=indent, sort_keys=sort_keys, allow_nan=False).encode("utf-8")


def write_json(path, value, *, indent: int | None = 2, sort_keys: bool = False) -> Path:
    """Write ``value`` as strict JSON (:func:`to_json`) through :func:`write_atomic`."""
    return write_atomic(path, to_json(value, indent=indent, sort_keys=sort_keys))


def save(graph: ir.Graph, path) -> Path:
    """Save a graph as ``.npz`` (arrays) + JSON header; returns the path."""
    arrays: dict[str, np.ndarray] = {}
    nodes = {}
    for name, node in graph.nodes.items():
        scalars = {}
        for key, value in ir.node_fields(node).items():
            if isinstance(value, np.ndarray):
                arrays[f"{name}/{key}"] = value
            else:
                scalars[key] = list(value) if isinstance(value, tuple) else value
        nodes[name] = {"type": type(node).__name__, "fields": scalars}
    header = {
        "format": FORMAT, "version": FORMAT_VERSION, "nodes": nodes,
        "edges": [list(e) for e in graph.edges], "metadata": dict(graph.metadata),
    }
    try:  # node order kept: it fixes the run order, and so the summation order
        text = json.dumps(header, allow_nan=False)  # refused, not nulled: a network's facts must not change
    except (TypeError, ValueError) as error:
        raise ValueError(f"graph metadata must be JSON-serialisable, with finite numbers: {error}") from None
    arrays["__header__"] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    buffer = BytesIO()
    np.savez_compressed(buffer, **arrays)
    return write_atomic(path, buffer.getvalue())


_INT_MAX = 2 ** 31 - 1  # header integers are sizes and counts; beyond int32 a value is damage, not a network
_METADATA_TEXT = ("dataset", "model", "output", "source", "quantised_for")
_CONVERSION_TEXT = ("method", "realisation", "input", "readout", "output_population")
# conversion counts -> their minimum; the engine and the encoders size arrays and loops by them
_CONVERSION_COUNTS = {"ticks_per_element": 1, "hold_ticks": 1, "flush_ticks": 0, "layers": 1, "hidden": 1,
                      "levels": 1, "cell_levels": 1, "window": 1}


def _type_name(value) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "an integer",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)


def _whole(value, low: int, high: int) -> bool:
    """A whole number (not a flag) in [low, high]: inf, nan, 2.5 and 1e30 are not."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return (isinstance(value, int) or value.is_integer()) and low <= value <= high


def _field_problem(value, where: str) -> str | None:
    """What is wrong with a node's scalar field (None if nothing): the IR's scalar fields are texts,
    flags and sizes (shapes, strides, counts), alone or in lists; a size is a whole number in 0..2**31-1."""
    if isinstance(value, list):
        return next((p for i, item in enumerate(value) if (p := _field_problem(item, f"{where}[{i}]"))), None)
    if value is None or isinstance(value, str | bool) or _whole(value, 0, _INT_MAX):
        return None
    if isinstance(value, int | float):
        return f"{where} must be a whole number in 0..{_INT_MAX}, got {value}"
    return f"{where} must be text, a flag or a whole number, got {_type_name(value)}"


def _nodes_problem(nodes) -> str | None:
    if not isinstance(nodes, dict):
        return f"header field 'nodes' must be an object of named nodes, got {_type_name(nodes)}"
    for name, spec in nodes.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("type"), str):
            return f"node {name!r} must be an object with a 'type' text, got {_type_name(spec)}"
        fields_ = spec.get("fields", {})
        if not isinstance(fields_, dict):
            return f"node {name!r}: its 'fields' must be an object, got {_type_name(fields_)}"
        for key, value in fields_.items():
            if problem := _field_problem(value, f"node {name!r} field {key}"):
                return problem
        shape = fields_.get("shape")
        if spec["type"] == "Input" and isinstance(shape, list) and all(_whole(s, 0, _INT_MAX) for s in shape) \
                and math.prod(shape) > _INT_MAX:
            return f"node {name!r} field shape {shape} holds more than {_INT_MAX} values"
    return None


def _edges_problem(edges) -> str | None:
    if not isinstance(edges, list) or not all(
            isinstance(e, list) and len(e) == 2 and all(isinstance(end, str) for end in e) for e in edges):
        return "header field 'edges' must be a list of [source, target] node-name pairs"
    return None


def _numbers_problem(value, where: str) -> str | None:
    """The first non-finite number in a metadata value (None if none): save never writes one."""
    if isinstance(value, dict):
        return next((p for k, v in value.items() if (p := _numbers_problem(v, f"{where}.{k}"))), None)
    if isinstance(value, list):
        return next((p for i, v in enumerate(value) if (p := _numbers_problem(v, f"{where}[{i}]"))), None)
    if isinstance(value, float) and not math.isfinite(value):
        return f"{where} must be a finite number, got {value}"
    return None


def _metadata_problem(metadata) -> str | None:
    """The metadata fields that the library reads, by type and range (others are kept as they are)."""
    if not isinstance(metadata, dict):
        return f"header field 'metadata' must be an object, got {_type_name(metadata)}"
    if problem := _numbers_problem(metadata, "metadata"):
        return problem
    for key in _METADATA_TEXT:
        if key in metadata and not isinstance(metadata[key], str):
            return f"metadata.{key} must be text, got {_type_name(metadata[key])}"
    conversion = metadata.get("conversion", {})
    if not isinstance(conversion, dict):
        return f"metadata.conversion must be an object, got {_type_name(conversion)}"
    for key in _CONVERSION_TEXT:
        if key in conversion and not isinstance(conversion[key], str):
            return f"metadata.conversion.{key} must be text, got {_type_name(conversion[key])}"
    approximations = conversion.get("approximations", [])
    if not isinstance(approximations, list) or not all(isinstance(a, str) for a in approximations):
        return "metadata.conversion.approximations must be a list of texts"
    needed = ("hidden", "layers") if conversion.get("input") == "sequence" else ()  # a sequence run reads them
    for key, minimum in _CONVERSION_COUNTS.items():
        value = conversion.get(key)
        if value is None and key in needed:
            return f"metadata.conversion.{key} is missing (a sequence network needs it)"
        if key == "layers" and isinstance(value, list) and key not in needed:
            continue  # a CNN records its layers' facts here
        if value is not None and not _whole(value, minimum, _INT_MAX):
            return f"metadata.conversion.{key} must be a whole number in {minimum}..{_INT_MAX}, got {value!r}"
    return None


def _header_problem(header: dict) -> str | None:
    """What makes a header unsound before any node is built (None if nothing)."""
    return _nodes_problem(header["nodes"]) or _edges_problem(header["edges"]) or _metadata_problem(header["metadata"])


def load(path) -> ir.Graph:
    """Load a graph saved by :func:`save`; raise :class:`NetworkFileError` if it is not sound."""
    path = Path(path)

    def fail(problem: str) -> NetworkFileError:
        return NetworkFileError(f"{path}: {problem}")

    if not path.is_file():
        raise fail("no such file")
    try:  # the sizes the archive declares, before anything is decompressed (a small file may unpack to gigabytes)
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise fail(f"not a readable .npz network file ({error})") from None
    try:
        check_allocation(f"the arrays of {path.name}", unpacked, "this is not a network this machine can load")
    except ValueError as error:
        raise fail(str(error)) from None
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError) as error:
        raise fail(f"not a readable .npz network file ({error})") from None
    except MemoryError:
        raise fail("its arrays do not fit in this machine's memory") from None
    if "__header__" not in arrays:
        raise fail("missing the JSON header; not a neuro network file")
    try:
        header = json.loads(arrays.pop("__header__").tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise fail(f"corrupt JSON header ({error})") from None
    except RecursionError:
        raise fail("corrupt JSON header (nested too deeply)") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise fail(f"header does not declare format {FORMAT!r}")
    if header.get("version") != FORMAT_VERSION:
        raise fail(f"format version {header.get('version')!r}; this build reads version {FORMAT_VERSION}")
    for key in ("nodes", "edges", "metadata"):
        if key not in header:
            raise fail(f"header lacks {key!r}")
    try:
        problem = _header_problem(header)
    except RecursionError:  # json.loads stops near the interpreter's depth; the checks recurse a little further
        problem = "header nested too deeply"
    if problem:
        raise fail(problem)
    expected_arrays = set()
    nodes = {}
    for name, spec in header["nodes"].items():
        kind = spec["type"]
        if kind not in ir.NODE_TYPES:
            raise fail(f"node {name!r} has unknown type {kind!r}")
        cls = ir.NODE_TYPES[kind]
        kwargs = dict(spec.get("fields", {}))
        for field_name in (f.name for f in fields(cls)):
            key = f"{name}/{field_name}"
            if key in arrays:
                kwargs[field_name] = arrays[key]
                expected_arrays.add(key)
            elif field_name not in kwargs:
                raise fail(f"node {name!r} ({kind}) lacks field {field_name!r}")
        unknown = set(kwargs) - {f.name for f in fields(cls)}
        if unknown:
            raise fail(f"node {name!r} ({kind}) has unknown fields {sorted(unknown)}")
        try:
            nodes[name] = cls(**kwargs)
        except (ValueError, TypeError) as error:
            raise fail(f"node {name!r}: {error}") from None
    extra = set(arrays) - expected_arrays
    if extra:
        raise fail(f"arrays that belong to no node: {sorted(extra)}")
    try:
        return ir.Graph(nodes=nodes, edges=tuple(tuple(e) for e in header["edges"]),
                        metadata=header["metadata"])
    except (ValueError, TypeError) as error:
        raise fail(str(error)) from None
