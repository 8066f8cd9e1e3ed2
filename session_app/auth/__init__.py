"""Signing in: email links and codes, sessions, rate limits, and their HTTP routes."""
