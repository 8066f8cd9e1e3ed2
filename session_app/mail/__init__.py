"""Email: messages go to an outbox table first, then to the configured backend."""
