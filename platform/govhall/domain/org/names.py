"""The name rule lives in ``govhall.names`` (lowest floor: every schema uses it); re-exported for the domains."""

from govhall.names import MAX_NAME, MIDDLE_DOT, check_names, normalize_name

__all__ = ("MAX_NAME", "MIDDLE_DOT", "check_names", "normalize_name")
