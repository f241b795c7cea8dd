"""The audit log's pages: list, verify and checkpoint a tenant's chain over HTTP.

The log itself (model, chain, checkpoints, CLI logic) is a core service: ``govhall.audit``.
"""
