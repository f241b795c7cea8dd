"""Database: declarative bases, the session/engine configuration and migrations."""
