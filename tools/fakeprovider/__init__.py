"""A fake Terraform provider (plugin protocol v6) serving the pinned provider schemas.

It lets ``terraform init``, ``terraform validate`` and ``terraform test`` (with
``mock_provider``) run offline; see tools/README.md.
"""
