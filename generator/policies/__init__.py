"""DIRECT-mode AuthorizationPolicies: read (load.py, schema.py), sorted by what ztunnel and waypoints can
evaluate (attributes.py), and placed where ambient enforces them (translate.py)."""
