"""Wire schemas: msgspec structs, camelCase on the wire, one type per direction."""

import msgspec


class CamelStruct(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """Base for request and response bodies. Unknown fields are refused (no mass assignment)."""
