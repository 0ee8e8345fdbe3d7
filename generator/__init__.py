"""gen: a declarative manifest generator for Istio ambient mode under Tetrate Service Bridge."""

__version__ = "0.1.0"
