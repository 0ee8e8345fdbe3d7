"""The estate's diagrams and scripts: what gen writes for people to read about the clusters it
renders (namespaces, ztunnel, waypoints, services, tenancy) rather than for Kubernetes to apply.

`mermaid` holds the quoting rules for the Markdown files' mermaid flowcharts: every name from a
profile is shown verbatim and none can change a diagram's structure.
"""
