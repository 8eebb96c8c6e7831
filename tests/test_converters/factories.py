"""A model factory importable as ``tests.test_converters.factories:small_net``."""

import torch
from torch import nn


def small_net() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2), nn.Flatten(),
                         nn.Linear(64, 10))


def smooth_lstm() -> nn.Module:
    """A sequence classifier around a plain (sigmoid/tanh) nn.LSTM: converts only with --lstm-approximate."""
    from converters.lstm.graded import SequenceClassifier

    torch.manual_seed(0)
    return SequenceClassifier(8, 6, 10, cell="smooth")
