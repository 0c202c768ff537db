"""Domain-aware verifiers: answer from facts or APIs instead of scraping pages."""
