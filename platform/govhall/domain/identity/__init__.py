"""Identity: user accounts, password hashes, login."""
