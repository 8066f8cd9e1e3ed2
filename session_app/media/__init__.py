"""Images people upload: avatars."""
