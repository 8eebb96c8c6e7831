"""Zoo training and conversion give the same bits whatever the machine's thread count."""

import os
import subprocess
import sys

import pytest

# trains a short schedule of a zoo CNN, converts it, and prints the hashes of the weights and thresholds
SCRIPT = """
import hashlib, sys
import numpy as np, torch
from converters import from_torch, zoo
from neuro import datasets
torch.set_num_threads(int(sys.argv[1]))
model = zoo.train("digits-cnn-bn-maxpool", epochs=2)
weights = hashlib.sha256(b"".join(v.numpy().tobytes() for v in model.state_dict().values())).hexdigest()
graph = from_torch(model, datasets.load("digits").x_train[:300], zoo.recipe("digits-cnn-bn-maxpool").conversion)
thresholds = hashlib.sha256(b"".join(np.asarray(graph.nodes[p].v_threshold).tobytes()
                                     for p in graph.populations)).hexdigest()
print(torch.get_num_threads(), weights, thresholds)
"""


def _hashes(threads: int) -> list[str]:
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads)}
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(threads)], env=env, capture_output=True, text=True,
                         timeout=300, check=True).stdout.split()
    assert out[0] == str(threads)  # the caller's own setting is restored after training
    return out[1:]


@pytest.mark.slow
def test_training_and_conversion_do_not_depend_on_the_thread_count():
    # before training ran on one torch thread, two threads gave other weights than one (issue 16)
    one, two = _hashes(1), _hashes(2)
    assert one == two


def test_a_run_row_does_not_depend_on_the_thread_count(digits_cnn):
    # the engine runs samples in parallel and the ANN reading uses BLAS: neither may change a figure
    import numba
    from threadpoolctl import threadpool_limits

    import hardware_profiles
    from neuro import datasets, io
    from neuro.app.evaluate import evaluate_graph

    graph, data, profile = io.load(digits_cnn), datasets.load("digits"), hardware_profiles.load("loihi")
    rows = []
    for threads in (1, min(2, numba.config.NUMBA_NUM_THREADS)):
        previous = numba.get_num_threads()
        numba.set_num_threads(threads)
        try:
            with threadpool_limits(limits=threads):
                row = evaluate_graph(graph, data, timesteps=8, samples=101, batch_size=37, profile=profile,
                                     show_progress=False).to_row()
        finally:
            numba.set_num_threads(previous)
        row.pop("simulation_s")
        rows.append(row)
    assert rows[0] == rows[1]
    assert rows[0]["energy_j_per_inference"] > 0
