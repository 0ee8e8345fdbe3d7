"""Templating kits: a team's own templates, catalog apps, outputs, rules and schemas, in folders the
profile names (`kit: [../templates]`), layered over the package's (the last kit wins).

read.py reads a kit folder into memory; declarations.py checks its output and rule declarations;
load.py turns the folders into one `Kit` (model.py); active.py makes it the kit of the render;
settings.py checks and resolves the profile's `outputs:` parameters; plan.py plans the kit outputs;
rules.py applies the kit's rules to rendered objects; commands.py lists kits and ejects built-ins.
"""
