"""Platform endpoints: health, readiness, the web UI shell."""
