"""The integer codes of the compiled tables, defined once for the compiler and the kernels.

:mod:`neuro.compile` writes these codes into the tables and
:mod:`neuro.engine.kernels` branches on them; both import them from here, so
the two can never disagree. A leaf module: plain integers, nothing imported.
"""

# what a population is (populations.kind)
KIND_INPUT, KIND_NEURON, KIND_SIGMA_DELTA, KIND_PRODUCT = 0, 1, 2, 3

# how a projection's weight core delivers an event (projections.core)
CORE_IDENTITY, CORE_DENSE, CORE_CONV, CORE_SYNAPSES = 0, 1, 2, 3

# a convolution's geometry (projections.conv[j]), in this order; neuro.plan.ConvGeometry has these fields
CONV_FIELD_NAMES = ("c_in", "h", "w", "c_out", "oh", "ow", "kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw", "groups")
CONV_FIELDS = len(CONV_FIELD_NAMES)
