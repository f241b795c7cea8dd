"""The tenant file store: evidence photos, leave scans and other uploads of a center.

A core floor: it imports only config/log, db, tenancy, authz and the audit log, never a domain. Domains use
``govhall.files.services`` (``save_upload``, ``get_files``, ``file_response``, ``register_reader``); the
limits every upload path obeys live in ``govhall.files.limits``.
"""
