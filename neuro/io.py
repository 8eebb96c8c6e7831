"""Network files: NumPy arrays in an ``.npz`` plus a JSON header. Never pickle.

The header (stored as the array ``__header__``, UTF-8 bytes) lists the format
version, every node with its type and scalar fields, the edges and the metadata;
array fields are stored under ``"<node>/<field>"``. Loading checks everything and
refuses a corrupt, incomplete or inconsistent file before building any node.
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

__all__ = ["save", "load", "NetworkFileError", "FORMAT", "FORMAT_VERSION", "write_atomic", "to_json", "write_json",
           "NON_FINITE_KEY"]

FORMAT = "neuro-network"
FORMAT_VERSION = 1


class NetworkFileError(ValueError):
    """A network file that cannot be read; the message names the file and the problem."""


def write_atomic(path, data: bytes) -> Path:
    """Write bytes to ``path`` through a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
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


def load(path) -> ir.Graph:
    """Load a graph saved by :func:`save`; raise :class:`NetworkFileError` if it is not sound."""
    path = Path(path)

    def fail(problem: str) -> NetworkFileError:
        return NetworkFileError(f"{path}: {problem}")

    if not path.is_file():
        raise fail("no such file")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError) as error:
        raise fail(f"not a readable .npz network file ({error})") from None
    if "__header__" not in arrays:
        raise fail("missing the JSON header; not a neuro network file")
    try:
        header = json.loads(arrays.pop("__header__").tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise fail(f"corrupt JSON header ({error})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise fail(f"header does not declare format {FORMAT!r}")
    if header.get("version") != FORMAT_VERSION:
        raise fail(f"format version {header.get('version')!r}; this build reads version {FORMAT_VERSION}")
    for key in ("nodes", "edges", "metadata"):
        if key not in header:
            raise fail(f"header lacks {key!r}")
    expected_arrays = set()
    nodes = {}
    for name, spec in header["nodes"].items():
        kind = spec.get("type") if isinstance(spec, dict) else None
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
