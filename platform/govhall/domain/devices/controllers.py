"""/api/t/{tenant_id}/devices: register a terminal (token shown once), list, edit (name, allowed addresses), revoke."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from advanced_alchemy.extensions.litestar.providers import create_service_dependencies
from advanced_alchemy.filters import FilterTypes
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, SkipValidation

from govhall.authz.guards import requires
from govhall.domain.devices import schemas as s
from govhall.domain.devices.network import client_address, home_network
from govhall.domain.devices.services import DeviceService
from govhall.domain.org.schemas import set_fields

Filters = NamedDependency[SkipValidation[list[FilterTypes]]]


class DeviceController(Controller):
    path = "/api/t/{tenant_id:uuid}/devices"
    tags = ["devices"]
    dependencies = create_service_dependencies(
        DeviceService, key="devices",
        filters={"pagination_type": "limit_offset", "pagination_size": 50, "sort_field": "created_at",
                 "sort_order": "asc", "search": "name,serial_number", "search_ignore_case": True},
    )

    @get("/", guards=[requires("device", "read")])
    async def list_devices(self, devices: NamedDependency[DeviceService],
                           filters: Filters) -> OffsetPagination[s.Device]:
        items, total = await devices.get_many_and_count(*filters)
        return devices.to_schema(items, total, filters=filters, schema_type=s.Device)

    @post("/", guards=[requires("device", "write")])
    async def register_device(self, request: Request[Any, Any, Any], devices: NamedDependency[DeviceService],
                              data: JSONBody[s.DeviceIn]) -> Response[s.DeviceWithToken]:
        networks = data.allowed_networks
        if networks is None:  # a second factor by default: the admin's own network, editable afterwards
            networks = home_network(client_address(request, request.app.state.settings.trusted_proxies))
        device, token = await devices.register(serial_number=data.serial_number, name=data.name,
                                               allowed_networks=networks)
        return Response(s.DeviceWithToken(device=devices.to_schema(device, schema_type=s.Device), token=token),
                        status_code=201, headers={"Cache-Control": "no-store"})

    @patch("/{device_id:uuid}", guards=[requires("device", "write")])
    async def update_device(self, devices: NamedDependency[DeviceService], device_id: FromPath[UUID],
                            data: JSONBody[s.DevicePatch]) -> s.Device:
        return devices.to_schema(await devices.update_device(device_id, set_fields(data)), schema_type=s.Device)

    @post("/{device_id:uuid}/revoke", guards=[requires("device", "write")], status_code=200)
    async def revoke_device(self, devices: NamedDependency[DeviceService],
                            device_id: FromPath[UUID]) -> s.Device:
        return devices.to_schema(await devices.revoke(device_id), schema_type=s.Device)
