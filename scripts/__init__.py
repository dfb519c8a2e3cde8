"""Project scripts (setup, test, translations)."""
