import pytest

from converters import from_torch, zoo
from neuro import datasets, io


@pytest.fixture(scope="session")
def digits_cnn(tmp_path_factory):
    """The digits-cnn zoo model, trained with its seeded recipe and converted, saved once per session."""
    data = datasets.digits()
    graph = from_torch(zoo.train("digits-cnn"), data.x_train[:500])
    path = tmp_path_factory.mktemp("net") / "digits-cnn.npz"
    io.save(type(graph)(nodes=graph.nodes, edges=graph.edges,
                        metadata={**graph.metadata, "model": "digits-cnn", "dataset": "digits"}), path)
    return path
