"""Attendance terminals: one credential per device, bound to one tenant, stored hashed, revocable."""
