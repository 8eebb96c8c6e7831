import gzip
import os
import struct
import tracemalloc

import numpy as np
import pytest

from neuro import datasets


def _write_idx(path, array: np.ndarray, code: int = 0x08, compress=False):
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    data = header + array.astype(datasets._IDX_TYPES[code]).tobytes()
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


def _mnist_folder(folder, *, images=None, image_code=0x08, labels=None, label_code=0x08):
    """Four small IDX files; the test images and labels as given (else random bytes)."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (7, 5, 4)) if images is None else images
    labels = rng.integers(0, 10, len(images)) if labels is None else labels
    _write_idx(folder / "train-images-idx3-ubyte", rng.integers(0, 256, (12, 5, 4)))
    _write_idx(folder / "train-labels-idx1-ubyte", rng.integers(0, 10, 12))
    _write_idx(folder / "t10k-images-idx3-ubyte", images, code=image_code)
    _write_idx(folder / "t10k-labels-idx1-ubyte", labels, code=label_code)
    return folder


def test_float_images_already_in_unit_range_are_not_scaled_again(tmp_path):
    # issue 21: float32 images in [0, 1] were divided by 255 (accuracy 0.10 instead of 0.98)
    images = np.random.default_rng(1).random((7, 5, 4)).astype(np.float32)
    data = datasets.idx(_mnist_folder(tmp_path, images=images, image_code=0x0D))
    np.testing.assert_array_equal(data.x_test[:, 0], images.astype(np.float64))
    assert data.x_train.max() <= 1.0  # unsigned bytes are still scaled


@pytest.mark.parametrize("labels, code, message", [
    (np.array([0, 1, -1, 2, 3, 4, 5]), 0x09, "found -1"),  # a negative class index
    (np.array([0, 1, 2.5, 2, 3, 4, 5]), 0x0D, "must be integers"),  # float labels were truncated
    (np.arange(7.0), 0x0E, "must be integers"),  # whole-valued floats too: the file's type is wrong
])
def test_labels_must_be_integer_class_indices(tmp_path, labels, code, message):
    _mnist_folder(tmp_path, labels=labels, label_code=code)
    with pytest.raises(ValueError, match=message) as error:
        datasets.idx(tmp_path)
    assert str(tmp_path / "t10k-labels-idx1-ubyte") in str(error.value)


def test_non_finite_float_images_are_refused(tmp_path):
    images = np.zeros((7, 5, 4), np.float32)
    images[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        datasets.idx(_mnist_folder(tmp_path, images=images, image_code=0x0D))


def test_truncated_gzip_is_one_line_naming_the_file(tmp_path):
    # issue 21: a truncated .gz raised EOFError from the gzip module
    path = _write_idx(tmp_path / "x", np.zeros((20, 3, 3), np.uint8), compress=True)
    path.write_bytes(path.read_bytes()[:-12])
    with pytest.raises(ValueError, match="cannot read IDX file") as error:
        datasets.read_idx(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_a_header_whose_size_wraps_around_is_refused(tmp_path):
    # (2**16)**4 bytes is 2**64: the old int64 product wrapped to 0 and matched an empty file
    path = tmp_path / "x"
    path.write_bytes(bytes([0, 0, 0x08, 4]) + struct.pack(">4I", *[2 ** 16] * 4))
    with pytest.raises(ValueError, match="promises 18446744073709551616") as error:
        datasets.read_idx(path)
    assert str(path) in str(error.value)


@pytest.mark.parametrize("compress", [False, True])
def test_a_tiny_file_declaring_a_huge_shape_allocates_nothing_for_it(tmp_path, compress):
    path = tmp_path / "x"
    data = bytes([0, 0, 0x0E, 3]) + struct.pack(">3I", 60000, 1000, 1000) + bytes(64)  # declares 480 GB
    if compress:
        path = tmp_path / "x.gz"
        data = gzip.compress(data)
    path.write_bytes(data)
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="header promises 480000000000"):
            datasets.read_idx(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20


def test_only_regular_files_are_read(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # reading it would block forever
    with pytest.raises(ValueError, match="not a regular file"):
        datasets.read_idx(fifo)


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


def test_mnist_is_the_bundled_5k_digits_split_4000_1000_by_class():
    data = datasets.load("mnist")
    assert data.x_train.shape == (4000, 1, 28, 28) and data.x_test.shape == (1000, 1, 28, 28)
    assert data.name == "mnist" and data.n_classes == 10
    assert data.x_train.min() == 0 and data.x_train.max() == 1
    assert np.bincount(data.y_test).tolist() == [100] * 10 and np.bincount(data.y_train).tolist() == [400] * 10
    assert len(set(data.y_test[:20].tolist())) > 5  # shuffled: a prefix of the test set mixes the classes
    images, labels = datasets.read_mnist_csv(datasets._mnist_5k_path())
    # the split is a partition of the file's digits: every image lands in one half exactly once
    everything = np.concatenate([data.x_train, data.x_test])[:, 0] * 255
    assert np.array_equal(np.sort(everything.reshape(5000, -1).sum(1)), np.sort(images.reshape(5000, -1).sum(1)))
    assert np.array_equal(np.sort(np.concatenate([data.y_train, data.y_test])), np.sort(labels))


def _write_csv(path, rows):
    path.write_bytes(gzip.compress("\n".join(",".join(str(v) for v in row) for row in rows).encode()))
    return path


@pytest.mark.parametrize("row, message", [
    ([0] * 784 + [3], None),
    ([0] * 783 + [3], "785 integers"),
    ([0] * 783 + [256, 3], "pixels must be 0..255"),
    ([0] * 784 + [10], "labels .* must be 0..9"),
    ([0] * 784 + ["x"], "785 integers"),
])
def test_the_mnist_csv_is_read_strictly(tmp_path, row, message):
    path = _write_csv(tmp_path / "mnist_5k.csv.gz", [row, row])
    if message is None:
        images, labels = datasets.read_mnist_csv(path)
        assert images.shape == (2, 28, 28) and labels.tolist() == [3, 3]
        return
    with pytest.raises(ValueError, match=message) as error:
        datasets.read_mnist_csv(path)
    assert str(path) in str(error.value)


def _cifar_records(rng, n, labels=None):
    labels = rng.integers(0, 10, n) if labels is None else np.asarray(labels)
    images = rng.integers(0, 256, (n, 3, 32, 32), dtype=np.uint8)
    raw = np.concatenate([labels.astype(np.uint8)[:, None], images.reshape(n, -1)], axis=1).tobytes()
    return raw, images, labels


def _cifar_folder(folder, sizes=(2, 3, 1, 2, 1, 3), **damage):
    """The six binary batch files with a few random records each; ``damage`` maps a file to its bytes."""
    rng = np.random.default_rng(0)
    written = {}
    for name, n in zip(datasets.CIFAR10_FILES, sizes, strict=True):
        raw, images, labels = _cifar_records(rng, n)
        (folder / name).write_bytes(damage.get(name, raw))
        written[name] = (images, labels)
    return written


@pytest.mark.parametrize("subfolder", ["", "cifar-10-batches-bin"])
def test_cifar10_round_trip(tmp_path, subfolder):
    (tmp_path / subfolder).mkdir(exist_ok=True)
    written = _cifar_folder(tmp_path / subfolder)
    data = datasets.load(f"cifar10:{tmp_path}")
    assert data.x_train.shape == (9, 3, 32, 32) and data.x_test.shape == (3, 3, 32, 32)
    assert data.input_shape == (3, 32, 32) and data.n_classes == 10
    train = [written[f"data_batch_{i}.bin"] for i in range(1, 6)]
    np.testing.assert_array_equal(data.x_train * 255, np.concatenate([x for x, _ in train]))
    np.testing.assert_array_equal(data.y_train, np.concatenate([y for _, y in train]))
    np.testing.assert_array_equal(data.x_test * 255, written["test_batch.bin"][0])
    np.testing.assert_array_equal(data.y_test, written["test_batch.bin"][1])
    assert data.name == f"cifar10:{tmp_path}" and datasets.load(data.name).x_test.shape == (3, 3, 32, 32)


def test_missing_cifar10_files_are_named(tmp_path):
    _cifar_folder(tmp_path)
    (tmp_path / "data_batch_3.bin").unlink()
    (tmp_path / "test_batch.bin").unlink()
    with pytest.raises(FileNotFoundError, match="no data_batch_3.bin, test_batch.bin"):
        datasets.cifar10(tmp_path)


@pytest.mark.parametrize("damage, message", [
    (b"", "0 bytes is not a positive multiple of the 3073-byte"),
    (bytes(3073 * 2 + 5), "6151 bytes is not a positive multiple"),
    (bytes([3]) + bytes(3072) + bytes([10]) + bytes(3072), "record 1 has label 10"),
])
def test_damaged_cifar10_files_are_refused(tmp_path, damage, message):
    _cifar_folder(tmp_path, **{"data_batch_2.bin": damage})
    with pytest.raises(ValueError, match=message) as error:
        datasets.cifar10(tmp_path)
    assert str(tmp_path / "data_batch_2.bin") in str(error.value) and "\n" not in str(error.value)


def test_cifar10_reads_only_regular_files(tmp_path):
    _cifar_folder(tmp_path)
    (tmp_path / "test_batch.bin").unlink()
    os.mkfifo(tmp_path / "test_batch.bin")  # reading it would block forever
    with pytest.raises(ValueError, match="test_batch.bin: not a regular file"):
        datasets.cifar10(tmp_path)


def test_cifar10_over_the_memory_limit_is_refused_before_reading(tmp_path, monkeypatch):
    _cifar_folder(tmp_path)
    monkeypatch.setenv("NEURO_MAX_BYTES", "100K")  # 12 records take 12 x 3073 x 8 bytes, about 288 KiB
    with pytest.raises(ValueError, match="the 12 CIFAR-10 images .* over the limit of 100.0 KiB"):
        datasets.cifar10(tmp_path)


@pytest.mark.parametrize("name", ["cifar", "cifar10:", "idx:", "mnist5k"])
def test_unknown_dataset_names_every_choice(name):
    with pytest.raises(ValueError, match="digits, mnist1d, mnist, idx:FOLDER, cifar10:FOLDER"):
        datasets.load(name)
