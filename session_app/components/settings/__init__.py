"""The settings popup: `popup.py` opens it; one module per section holds its view and
the handlers it owns (profile, photo, notifications, preferences, account)."""
