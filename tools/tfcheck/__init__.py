"""Offline validation of the Terraform module, its examples and its state machine.

Each check returns a list of :class:`~tools.tfcheck.findings.Finding`; ``python -m
tools.tfcheck`` runs them and prints one ``file:line: [check] message`` per finding.
"""
