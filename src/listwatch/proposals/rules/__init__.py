"""One module per kind of change; each exposes ``propose(inputs, style)``."""
