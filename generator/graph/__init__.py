"""The estate explained: its diagrams (mermaid), calls, README and verify scripts."""
