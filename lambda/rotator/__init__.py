"""DynamoDB Backup Rotator: restore AWS Backup recovery points into fresh, named tables.

Pure modules (no AWS): ``naming``, ``sources`` (one module per event source, and what
AWS Backup's Describe calls add), ``model``, ``progress``, ``settings``. Thin Lambda handlers that wire them to AWS live in ``rotator.handlers``.
"""
