"""Dense NumPy evaluation of the IR's linear maps: slow, obvious, the oracle.

``forward(node, x)`` applies a linear node to a batch ``x`` of shape
``(batch, *input_shape)`` without its bias. ``structure=True`` replaces every
stored weight by 1 (and a zero scale by 0), so the result counts the synaptic
paths an event travels, which is what the engine bills as synaptic operations.
The engine's Numba kernels never call these functions: they are the independent
reference the kernels are tested against, and the converters' shape oracle.
"""

from __future__ import annotations

import numpy as np

from neuro import ir

__all__ = ["forward", "bias_of", "chain_bias", "sparse_forward", "max_pool"]


def _conv(x: np.ndarray, node: ir.Conv2d, weight: np.ndarray) -> np.ndarray:
    """Cross-correlation written as a gather over kernel offsets."""
    squeeze = type(node) is ir.Conv1d
    if squeeze:  # a 1-D convolution is a 2-D one over a height of 1
        x = x[:, :, None, :]
        weight = weight[:, :, None, :]
        stride, padding, dilation = (1, *node.stride), (0, *node.padding), (1, *node.dilation)
    else:
        stride, padding, dilation = node.stride, node.padding, node.dilation
    batch, channels, height, width = x.shape
    out_channels, group_in, kh, kw = weight.shape
    groups = node.groups
    group_out = out_channels // groups
    oh = (height + 2 * padding[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (width + 2 * padding[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    padded = np.zeros((batch, channels, height + 2 * padding[0], width + 2 * padding[1]))
    padded[:, :, padding[0]:padding[0] + height, padding[1]:padding[1] + width] = x
    out = np.zeros((batch, out_channels, oh, ow))
    for g in range(groups):
        xin = padded[:, g * group_in:(g + 1) * group_in]
        wg = weight[g * group_out:(g + 1) * group_out]
        for ky in range(kh):
            for kx in range(kw):
                y0, x0 = ky * dilation[0], kx * dilation[1]
                patch = xin[:, :, y0:y0 + stride[0] * (oh - 1) + 1:stride[0],
                            x0:x0 + stride[1] * (ow - 1) + 1:stride[1]]
                out[:, g * group_out:(g + 1) * group_out] += np.einsum(
                    "oc,bchw->bohw", wg[:, :, ky, kx], patch)
    return out[:, :, 0, :] if squeeze else out


def _avgpool(x: np.ndarray, node: ir.AvgPool2d, structure: bool) -> np.ndarray:
    squeeze = type(node) is ir.AvgPool1d
    kernel, stride, padding = node.geometry_2d
    if squeeze:
        x = x[:, :, None, :]
    channels = x.shape[1]
    weight = np.ones((channels, 1, *kernel))
    if not structure:
        weight /= kernel[0] * kernel[1]
    conv = ir.Conv2d(weight=weight, stride=stride, padding=padding, groups=channels)
    out = _conv(x, conv, conv.weight)
    return out[:, :, 0, :] if squeeze else out


def max_pool(x: np.ndarray, node: ir.MaxPool2d) -> np.ndarray:
    """Analog max-pooling of a batch (padding never wins)."""
    squeeze = type(node) is ir.MaxPool1d
    kernel, stride, padding = node.geometry_2d
    if squeeze:
        x = x[:, :, None, :]
    batch, channels, h, w = x.shape
    oh = (h + 2 * padding[0] - kernel[0]) // stride[0] + 1
    ow = (w + 2 * padding[1] - kernel[1]) // stride[1] + 1
    padded = np.full((batch, channels, h + 2 * padding[0], w + 2 * padding[1]), -np.inf)
    padded[:, :, padding[0]:padding[0] + h, padding[1]:padding[1] + w] = x
    out = np.full((batch, channels, oh, ow), -np.inf)
    for ky in range(kernel[0]):
        for kx in range(kernel[1]):
            out = np.maximum(out, padded[:, :, ky:ky + stride[0] * (oh - 1) + 1:stride[0],
                                         kx:kx + stride[1] * (ow - 1) + 1:stride[1]])
    return out[:, :, 0, :] if squeeze else out


def sparse_forward(x: np.ndarray, node: ir.Sparse, *, structure: bool = False,
                   delay: int | None = None) -> np.ndarray:
    """Explicit synapses, optionally only those with the given delay."""
    keep = np.ones(node.pre.size, bool) if delay is None else node.delay == delay
    weight = np.ones(int(keep.sum())) if structure else node.weight[keep]
    out = np.zeros((x.shape[0], node.n_out))
    for pre, post, w in zip(node.pre[keep], node.post[keep], weight, strict=True):
        out[:, post] += w * x[:, pre]
    return out


def forward(node, x: np.ndarray, *, structure: bool = False) -> np.ndarray:
    """Apply a linear node (no bias) to a batch ``(batch, *input_shape)``."""
    x = np.asarray(x, dtype=np.float64)
    match node:
        case ir.Dense():
            weight = np.ones_like(node.weight) if structure else node.weight
            return x.reshape(x.shape[0], -1) @ weight.T
        case ir.Sparse():
            return sparse_forward(x.reshape(x.shape[0], -1), node, structure=structure)
        case ir.Conv2d():  # Conv1d too
            weight = np.ones_like(node.weight) if structure else node.weight
            return _conv(x, node, weight)
        case ir.AvgPool2d():  # AvgPool1d too
            return _avgpool(x, node, structure)
        case ir.MaxPool2d():  # MaxPool1d too; the analog (ANN) meaning of the spiking gate
            if structure:
                raise TypeError("a max-pool gate has no fixed synaptic structure; the engine counts what passes")
            return max_pool(x, node)
        case ir.Flatten():
            return x.reshape(x.shape[0], -1)
        case ir.Scale():
            scale = (node.scale != 0).astype(np.float64) if structure else node.scale
            return x * scale
    raise TypeError(f"{type(node).__name__} is not a linear node")


def bias_of(node, output_shape: tuple[int, ...]) -> np.ndarray:
    """The node's constant term, broadcast to its output shape."""
    bias = getattr(node, "bias", None)
    if bias is None or bias.size == 0:
        return np.zeros(output_shape)
    if isinstance(node, ir.Conv2d):  # one bias per output channel
        return np.broadcast_to(bias.reshape(-1, *([1] * (len(output_shape) - 1))), output_shape).copy()
    return bias.reshape(output_shape).copy()


def chain_bias(nodes, output_shapes) -> np.ndarray | None:
    """Constant output of a chain of linear nodes (their biases carried forward).

    ``None`` when no node of the chain has a non-zero bias.
    """
    constant = None
    for node, shape in zip(nodes, output_shapes, strict=True):
        if constant is not None:
            constant = forward(node, constant[None])[0].reshape(shape)
        if np.any(getattr(node, "bias", np.zeros(0))):
            constant = (0 if constant is None else constant) + bias_of(node, shape)
    return constant
