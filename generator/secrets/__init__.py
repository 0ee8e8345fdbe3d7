"""No secret reaches Git: what a secret looks like (detect.py), and the filter every live values
file passes before it is merged (values.py)."""
