"""Adapters to other simulators and formats: Brian2, snntorch and NIR, both ways where they can be.

Each imports its simulator's package, so :mod:`converters` loads them only when
one of their public names is asked for.
"""
