"""Access checks for accounts (the review-chain issue adds organisation-scoped roles)."""
