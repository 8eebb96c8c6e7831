"""Data sets that need no download: NumPy arrays with a fixed train/test split.

* ``digits``: scikit-learn's bundled 8x8 handwritten digits, scaled to [0, 1],
  shape ``(1, 8, 8)``; 1797 samples, a fixed seeded split of 1257 / 540.
* ``mnist1d``: generated procedurally by ``mnist1d.data.make_dataset`` (never
  ``get_dataset``, which tries a download first), shape ``(1, 40)``.
* ``idx``: MNIST-format IDX files (MNIST, Fashion-MNIST) from a folder the user
  already has; ``.gz`` files are read too.

Every loader returns a :class:`Dataset`. Sequence views for LSTMs take the same
arrays and drop the channel axis (``as_sequence``).
"""

from __future__ import annotations

import gzip
import struct
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


def read_idx(path) -> np.ndarray:
    """Read one IDX file (optionally gzip-compressed); raise ValueError if malformed."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as stream:
            raw = stream.read()
    except OSError as error:
        raise ValueError(f"{path}: cannot read IDX file ({error})") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise ValueError(f"{path}: not an IDX file (bad magic number)")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{path}: truncated IDX header")
    shape = struct.unpack(f">{ndim}I", raw[4:header])
    dtype = np.dtype(_IDX_TYPES[raw[2]])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(raw) - header != expected:
        raise ValueError(f"{path}: IDX data has {len(raw) - header} bytes, the header promises {expected}")
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)


def _find(folder: Path, stem: str) -> Path:
    for candidate in (folder / stem, folder / f"{stem}.gz", folder / stem.replace("-idx", ".idx")):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{folder}: no {stem} (or {stem}.gz); expected the four MNIST-format IDX files")


def idx(folder, name: str = "mnist") -> Dataset:
    """MNIST-format files in ``folder``: train/t10k images and labels, scaled to [0, 1]."""
    folder = Path(folder)
    arrays = {}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        images = read_idx(_find(folder, f"{prefix}-images-idx3-ubyte"))
        labels = read_idx(_find(folder, f"{prefix}-labels-idx1-ubyte"))
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise ValueError(f"{folder}: {prefix} images {images.shape} and labels {labels.shape} do not match")
        arrays[split] = (images.astype(np.float64)[:, None] / 255.0, labels.astype(np.int64))
    n_classes = int(max(arrays["train"][1].max(), arrays["test"][1].max())) + 1
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
