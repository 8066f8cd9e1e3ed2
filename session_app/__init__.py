"""Session: the account side (sign-up, onboarding, dashboard, settings)."""
