"""``make bench``: the rotator measured on the local emulator, next to the original SAR
application it replaces (re-stated here, not copied), with the cost of both.

Run from the repository root as ``PYTHONPATH=lambda python -m bench`` (``make bench``);
``--only durations|package|burst|pass`` runs one part and keeps the others' figures in
``bench/results.json``.
"""
