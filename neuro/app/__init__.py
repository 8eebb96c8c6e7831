"""The composition roots: the command line, the demo, the benchmark sweep, evaluation and reports.

This is the only part of :mod:`neuro` that imports the converters (and through
them torch), always lazily; the core below it never imports this package.
"""
