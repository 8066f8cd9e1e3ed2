"""Helpers the tests share: a migrated database, a real SMTP server, mail parsing."""
