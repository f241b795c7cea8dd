"""Wire schemas: msgspec structs, camelCase on the wire, one type per direction."""

from typing import ClassVar

import msgspec


class CamelStruct(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """Base for request and response bodies. Unknown fields are refused (no mass assignment)."""

    __names__: ClassVar[dict[str, tuple[int, bool]]] = {}
    """Input structs list their name fields here: ``{"name": (max_len, is_person)}``. Every listed field is checked
    and normalised by the one name rule (``govhall/names.py``) as the body is decoded, for every route."""

    def __post_init__(self) -> None:
        if self.__names__:
            from govhall.names import check_names

            check_names(self, self.__names__)
