"""Per-step constants of a binary-spike population: the discretisation, written once.

The engine's update (see :mod:`neuro.engine`) is ``i <- a_syn * i + w_in * arriving``
then ``v <- a_mem * v + leak + r * (i + bias)``. The compiler, the reference engine and
the exporters to other simulators all take ``a_syn, w_in, a_mem, leak`` from here.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from neuro import ir

__all__ = ["StepConstants", "step_constants", "tau_for_decay", "ENGINE_DT"]

ENGINE_DT = 1e-3  # the default step, in seconds: time constants in the IR are read against it


class StepConstants(NamedTuple):
    a_syn: np.ndarray  # synaptic-current decay per step (0: the current is this step's input)
    w_in: np.ndarray  # input weight of the synaptic current
    a_mem: np.ndarray  # membrane decay per step (1 for IF)
    leak: np.ndarray  # (1 - a_mem) * v_leak, added every step


def step_constants(node: ir.IF | ir.LIF | ir.CubaLIF, dt: float) -> StepConstants:
    """The constants of ``node`` for steps of ``dt`` seconds, each shaped like the population."""
    zeros, ones = np.zeros(node.shape), np.ones(node.shape)
    match node:
        case ir.IF():
            return StepConstants(zeros, ones, ones, zeros)
        case ir.LIF():
            a_mem = np.exp(-dt / node.tau)
            return StepConstants(zeros, ones, a_mem, (1.0 - a_mem) * node.v_leak)
        case ir.CubaLIF():
            a_mem = np.exp(-dt / node.tau_mem)
            return StepConstants(np.exp(-dt / node.tau_syn), node.w_in.copy(), a_mem, (1.0 - a_mem) * node.v_leak)
    raise TypeError(f"{type(node).__name__} is not a binary-spike population")


def tau_for_decay(decay, dt: float) -> np.ndarray:
    """The time constant whose exact decay over a step of ``dt`` is ``decay`` (in (0, 1)):
    the inverse of ``a = exp(-dt / tau)``, for importers whose neurons are given per step."""
    return -dt / np.log(np.asarray(decay, np.float64))
