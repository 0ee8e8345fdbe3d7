"""The estate explained: its diagrams (mermaid.py: the quoting; diagrams.py: clusters and tenancy),
its calls (calls.py), the README rendered with the tree (readme.py) and the verify scripts."""
