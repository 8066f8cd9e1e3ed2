"""Reflex states shared by several pages (what happens on an event)."""
