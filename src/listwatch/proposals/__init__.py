"""proposals stage."""
