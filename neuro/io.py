"""Network files: NumPy arrays in an ``.npz`` plus a JSON header. Never pickle.

The header (stored as the array ``__header__``, UTF-8 bytes) lists the format
version, every node with its type and scalar fields, the edges and the metadata;
array fields are stored under ``"<node>/<field>"``. Loading checks everything and
refuses a corrupt, incomplete or inconsistent file before building any node.
Writes go to a temporary file in the target folder, then an atomic rename.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from dataclasses import fields
from io import BytesIO
from pathlib import Path

import numpy as np

from neuro import ir

__all__ = ["save", "load", "NetworkFileError", "FORMAT", "FORMAT_VERSION", "write_atomic"]

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
    try:
        text = json.dumps(header)  # node order kept: it fixes the run order, and so the summation order
    except TypeError as error:
        raise ValueError(f"graph metadata must be JSON-serialisable: {error}") from None
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
