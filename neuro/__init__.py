"""neuro: spiking-network simulation of converted CNNs and LSTMs on neuromorphic chip profiles.

The happy path::

    graph = converters.from_torch(model, calibration)        # torch -> IR (converters package)
    net = neuro.compile_network(graph)                        # IR -> arrays
    result = neuro.simulate(net, neuro.encode.constant(x), timesteps=32)
    neuro.encode.predictions(result)
"""

from neuro import encode, io, ir
from neuro.compile import CompiledNetwork, compile_network
from neuro.engine import simulate
from neuro.ir import Graph
from neuro.results import Counters, SimResult

__all__ = [
    "Graph", "compile_network", "simulate", "CompiledNetwork", "SimResult", "Counters",
    "encode", "io", "ir",
]
__version__ = "0.1.0"
