"""No secret reaches Git: what a secret looks like (detect.py), the filter every live values file
passes before it is merged (values.py), and the check of the profile's own strings (profile.py)."""
