"""First-party govhall policy packs. Each sub-package is one pack, registered by entry point."""
