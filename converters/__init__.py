"""The torch-facing side: PyTorch models (and other simulators' formats) to the neuro IR.

Converters emit :class:`neuro.ir.Graph` values and never run the engine.
"""

__all__: list[str] = []
