"""DynamoDB Backup Rotator: restore AWS Backup recovery points into fresh, named tables.

Pure modules (no AWS): ``naming``, ``notification``, ``model``, ``progress``,
``settings``. Thin Lambda handlers that wire them to AWS live in ``rotator.handlers``.
"""
