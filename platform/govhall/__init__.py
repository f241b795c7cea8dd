"""govhall: multi-tenant staff rules for Chinese government service halls."""

__version__ = "0.1.0"
