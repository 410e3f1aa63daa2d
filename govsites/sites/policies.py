"""Access checks for the registry (extended by the accounts and workflow issues)."""
