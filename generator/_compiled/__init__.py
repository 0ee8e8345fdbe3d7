"""Templates compiled ahead of time (generator/output/precompiled.py)."""
