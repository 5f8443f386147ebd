"""Fake Terraform providers serving the pinned real schemas (tools/README.md)."""
