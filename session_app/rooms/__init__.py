"""Rooms and sessions under a host's URL, and who is in them."""
