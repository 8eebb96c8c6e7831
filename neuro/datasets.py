"""Data sets that need no download: NumPy arrays with a fixed train/test split.

* ``digits``: scikit-learn's bundled 8x8 handwritten digits, scaled to [0, 1],
  shape ``(1, 8, 8)``; 1797 samples, a fixed seeded split of 1257 / 540.
* ``mnist1d``: generated procedurally by ``mnist1d.data.make_dataset`` (never
  ``get_dataset``, which tries a download first), shape ``(1, 40)``.
* ``idx``: MNIST-format IDX files (MNIST, Fashion-MNIST) from a folder the user
  already has; ``.gz`` files are read too. Unsigned-byte images are scaled to
  [0, 1], other types used as stored; labels must be integer class indices.

Every loader returns a :class:`Dataset`. Sequence views for LSTMs take the same
arrays and drop the channel axis (``as_sequence``).
"""

from __future__ import annotations

import gzip
import math
import os
import stat
import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["Dataset", "load", "digits", "mnist1d", "idx", "read_idx", "NAMES"]

NAMES = ("digits", "mnist1d")


@dataclass(frozen=True, eq=False)
class Dataset:
    """Arrays of one data set with its fixed split."""

    name: str
    x_train: np.ndarray  # (n, *input_shape) float64
    y_train: np.ndarray  # (n,) int64
    x_test: np.ndarray
    y_test: np.ndarray
    n_classes: int

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.x_train.shape[1:])

    def test_subset(self, samples: int | None) -> tuple[np.ndarray, np.ndarray]:
        """The first ``samples`` test items (all when None): a fixed, reproducible subset."""
        if samples is None:
            return self.x_test, self.y_test
        if samples < 1:
            raise ValueError(f"samples must be positive, got {samples}")
        return self.x_test[:samples], self.y_test[:samples]


def _split(name, x, y, n_test, seed=0) -> Dataset:
    order = np.random.default_rng(seed).permutation(len(x))
    test, train = order[:n_test], order[n_test:]
    return Dataset(name, x[train], y[train].astype(np.int64), x[test], y[test].astype(np.int64),
                   int(y.max()) + 1)


@lru_cache(maxsize=2)
def digits() -> Dataset:
    from sklearn.datasets import load_digits

    bunch = load_digits()
    x = (bunch.images / 16.0).astype(np.float64)[:, None, :, :]
    return _split("digits", x, bunch.target, n_test=540)


@lru_cache(maxsize=2)
def mnist1d(num_samples: int = 12000, seed: int = 42) -> Dataset:
    """mnist1d generated locally: 80% train / 20% test, 40 values per sample."""
    from mnist1d.data import get_dataset_args, make_dataset

    args = get_dataset_args()
    args.num_samples = int(num_samples)
    args.seed = int(seed)
    data = make_dataset(args)
    x_train = np.asarray(data["x"], np.float64)[:, None, :]
    x_test = np.asarray(data["x_test"], np.float64)[:, None, :]
    return Dataset("mnist1d", x_train, np.asarray(data["y"], np.int64), x_test,
                   np.asarray(data["y_test"], np.int64), 10)


_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_CHUNK = 1 << 20  # read in pieces: memory follows the bytes a file really holds, not what its header claims


def _regular_file(path: Path) -> None:
    """Refuse what is not a regular file: a FIFO would block the read, a device would never end."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        raise ValueError(f"{path}: cannot read IDX file ({error.strerror or error})") from None
    if not stat.S_ISREG(mode):
        raise ValueError(f"{path}: not a regular file; give an IDX file")


def _read_up_to(stream, size: int) -> bytes:
    """At most ``size`` bytes, fewer at the end of the stream; never allocates more than it reads."""
    chunks, left = [], size
    while left > 0:
        chunk = stream.read(min(left, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_idx(path) -> np.ndarray:
    """Read one IDX file (optionally gzip-compressed); raise ValueError naming the file if malformed.

    The size the header declares is checked against the data as it is read, so a
    small file that declares a huge shape is refused without allocating for it.
    """
    path = Path(path)
    _regular_file(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as stream:
            magic = _read_up_to(stream, 4)
            if len(magic) < 4 or magic[0] != 0 or magic[1] != 0 or magic[2] not in _IDX_TYPES:
                raise ValueError(f"{path}: not an IDX file (bad magic number)")
            ndim = magic[3]
            dims = _read_up_to(stream, 4 * ndim)
            if len(dims) < 4 * ndim:
                raise ValueError(f"{path}: truncated IDX header")
            shape = struct.unpack(f">{ndim}I", dims)
            dtype = np.dtype(_IDX_TYPES[magic[2]])
            expected = math.prod(shape) * dtype.itemsize  # Python integers: a huge shape cannot wrap around
            raw = _read_up_to(stream, expected + 1)  # one byte more shows a file longer than its header says
    except (OSError, EOFError, zlib.error) as error:  # a truncated or damaged gzip stream included
        raise ValueError(f"{path}: cannot read IDX file ({error})") from None
    if len(raw) != expected:
        size = f"more than {expected}" if len(raw) > expected else str(len(raw))
        raise ValueError(f"{path}: IDX data has {size} bytes, the header promises {expected}")
    return np.frombuffer(raw, dtype=dtype).reshape(shape)


def _images(array: np.ndarray, path: Path) -> np.ndarray:
    """Images as float64 ``(n, 1, rows, cols)``: unsigned bytes (MNIST's own type) scaled to [0, 1],
    other types taken as they are (a float file already in [0, 1] must not be divided again)."""
    if array.dtype == np.uint8:
        return array.astype(np.float64)[:, None] / 255.0
    images = array.astype(np.float64)[:, None]
    if not np.all(np.isfinite(images)):
        raise ValueError(f"{path}: images contain NaN or infinite values")
    return images


def _labels(array: np.ndarray, path: Path) -> np.ndarray:
    """Class indices 0..n-1 as int64; a float label file is refused, never truncated."""
    if array.dtype.kind not in "iu":
        raise ValueError(f"{path}: labels must be integers (class indices 0..n-1); this file holds {array.dtype.name}")
    if array.size and array.min() < 0:
        raise ValueError(f"{path}: labels must be class indices 0..n-1; found {int(array.min())}")
    return array.astype(np.int64)


def _find(folder: Path, stem: str) -> Path:
    for candidate in (folder / stem, folder / f"{stem}.gz", folder / stem.replace("-idx", ".idx")):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{folder}: no {stem} (or {stem}.gz); expected the four MNIST-format IDX files")


def idx(folder, name: str = "mnist") -> Dataset:
    """MNIST-format files in ``folder``: train/t10k images and labels.

    Unsigned-byte images are scaled to [0, 1]; images of the other IDX types are
    used as stored. Labels must be an integer type holding class indices 0..n-1.
    """
    folder = Path(folder)
    arrays = {}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        image_path = _find(folder, f"{prefix}-images-idx3-ubyte")
        label_path = _find(folder, f"{prefix}-labels-idx1-ubyte")
        images, labels = read_idx(image_path), read_idx(label_path)
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise ValueError(f"{folder}: {prefix} images {images.shape} and labels {labels.shape} do not match")
        arrays[split] = (_images(images, image_path), _labels(labels, label_path))
    n_classes = int(max(arrays["train"][1].max(initial=0), arrays["test"][1].max(initial=0))) + 1
    return Dataset(name, *arrays["train"], *arrays["test"], n_classes)


def load(name: str) -> Dataset:
    """A data set by name: ``digits``, ``mnist1d``, or ``idx:FOLDER`` for MNIST-format files."""
    if name == "digits":
        return digits()
    if name == "mnist1d":
        return mnist1d()
    if name.startswith("idx:"):
        return idx(name[4:])
    raise ValueError(f"unknown dataset {name!r}; choose from {', '.join(NAMES)} or idx:FOLDER")


def as_sequence(x: np.ndarray) -> np.ndarray:
    """``(n, 1, rows, cols)`` images or ``(n, 1, length)`` signals as ``(n, steps, features)``."""
    if x.ndim == 4 and x.shape[1] == 1:
        return x[:, 0]
    if x.ndim == 3 and x.shape[1] == 1:
        return x[:, 0, :, None]
    raise ValueError(f"cannot read shape {x.shape} as a sequence")
