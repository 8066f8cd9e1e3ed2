"""Accounts and profiles: the unique URL, display names, use cases, onboarding."""
