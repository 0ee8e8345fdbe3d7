"""Validating output: a schema pack for every kind gen writes, an embedded validator that always
runs, and an adapter for kubeconform where it is installed."""
