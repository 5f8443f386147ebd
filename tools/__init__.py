"""Development tools for this module (not shipped with it)."""
