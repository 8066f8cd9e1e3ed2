"""Passkeys for their owner: `state.py` (list, add, rename, remove, and the dashboard's
one-time offer) and `view.py` (what is drawn)."""
