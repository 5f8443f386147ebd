"""Offline checks that Terraform's own validation does not make (tools/README.md)."""
