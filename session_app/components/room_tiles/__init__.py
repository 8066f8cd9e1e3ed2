"""The dashboard's rooms and sessions: `state.py` (create, tiles, rename, delete, and the
arrivals a host is told of while the dashboard is open) and `view.py` (what is drawn)."""
