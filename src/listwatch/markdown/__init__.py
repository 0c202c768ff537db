"""markdown stage."""
