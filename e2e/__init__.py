"""Playwright end-to-end tests: the real server, the built web UI, Debian's Chromium."""
