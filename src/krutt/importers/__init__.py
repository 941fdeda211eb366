"""Read-only adapters: files as users have them → domain records + problems with line numbers."""
