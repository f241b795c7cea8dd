"""Complaints with a protected complainant, and the case ledger with deadlines, notices and cards (issue 15)."""
