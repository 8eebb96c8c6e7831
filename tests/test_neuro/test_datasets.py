import gzip
import struct

import numpy as np
import pytest

from neuro import datasets


def _write_idx(path, array: np.ndarray, code: int = 0x08, compress=False):
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    data = header + array.astype(">u1" if code == 0x08 else ">i4").tobytes()
    if compress:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path


@pytest.mark.parametrize("compress", [False, True])
def test_idx_folder_loads_like_mnist(tmp_path, compress):
    rng = np.random.default_rng(0)
    train_x = rng.integers(0, 256, (12, 5, 4), dtype=np.uint8)
    test_x = rng.integers(0, 256, (7, 5, 4), dtype=np.uint8)
    _write_idx(tmp_path / "train-images-idx3-ubyte", train_x, compress=compress)
    _write_idx(tmp_path / "train-labels-idx1-ubyte", rng.integers(0, 10, 12, dtype=np.uint8), compress=compress)
    _write_idx(tmp_path / "t10k-images-idx3-ubyte", test_x, compress=compress)
    _write_idx(tmp_path / "t10k-labels-idx1-ubyte", rng.integers(0, 10, 7, dtype=np.uint8), compress=compress)
    data = datasets.load(f"idx:{tmp_path}")
    assert data.x_train.shape == (12, 1, 5, 4) and data.x_test.shape == (7, 1, 5, 4)
    np.testing.assert_allclose(data.x_test[:, 0] * 255, test_x)
    assert data.input_shape == (1, 5, 4)


def test_read_idx_of_other_types(tmp_path):
    values = np.arange(-6, 6).reshape(3, 4)
    np.testing.assert_array_equal(datasets.read_idx(_write_idx(tmp_path / "a", values, code=0x0C)), values)


@pytest.mark.parametrize("damage, message", [
    (lambda raw: b"\x01" + raw[1:], "magic"),
    (lambda raw: raw[:6], "truncated"),
    (lambda raw: raw[:-3], "promises"),
])
def test_damaged_idx_files_are_refused(tmp_path, damage, message):
    path = _write_idx(tmp_path / "x", np.zeros((2, 3, 3), np.uint8))
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(ValueError, match=message):
        datasets.read_idx(path)


def test_missing_idx_files_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte"):
        datasets.idx(tmp_path)


def test_digits_split_is_fixed_and_scaled():
    a, b = datasets.digits(), datasets.digits()
    assert a.x_train.shape == (1257, 1, 8, 8) and a.x_test.shape == (540, 1, 8, 8)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert 0 <= a.x_train.min() and a.x_train.max() <= 1
    assert set(np.unique(a.y_train)) == set(range(10))


def test_mnist1d_is_generated_deterministically():
    a = datasets.mnist1d(num_samples=200, seed=3)
    b = datasets.mnist1d(num_samples=200, seed=3)
    assert a.x_train.shape == (160, 1, 40) and a.x_test.shape == (40, 1, 40)
    np.testing.assert_array_equal(a.x_train, b.x_train)


def test_unknown_dataset_lists_the_choices():
    with pytest.raises(ValueError, match="digits, mnist1d"):
        datasets.load("cifar")


def test_sequences_for_lstms():
    assert datasets.as_sequence(np.zeros((3, 1, 8, 8))).shape == (3, 8, 8)
    assert datasets.as_sequence(np.zeros((3, 1, 40))).shape == (3, 40, 1)
