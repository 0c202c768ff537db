"""listwatch: keeps curated paper lists alive."""

__version__ = "0.1.0"
