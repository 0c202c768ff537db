"""Side-by-side benchmarks of listwatch against peer tools (not collected by pytest)."""
