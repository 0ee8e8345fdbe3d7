"""The brownfield move from sidecars to ambient, as ordered phases (`migration:` in the profile).

state.py: the model as of each phase; invariant.py: what must hold at every phase (every check of
the render pipeline passes, and who may call whom stays as it was); commands.py and probes.py:
what a phase asks people to run and to see; document.py: PHASE.md; tree.py: `gen plan`'s tree.
"""
