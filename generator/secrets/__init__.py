"""No secret reaches Git: what a secret looks like (detect.py), the filter every live values file
passes before it is merged (values.py), the check of the profile's own strings (profile.py), and
the last gate over every rendered file before anything is written (gate.py)."""
