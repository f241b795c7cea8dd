"""The tenant file store (govhall.files): content sniffing, re-encoding, limits (bytes, pixels, decompression
bombs), tenant walls, who may read whose file, deduplication, and the audit event of every upload.

Evidence for the rules that need it: seed 000 篇七 十一 (违规扣分须有记录) and seed 002 五 (病假须附医院证明)
— the photo of a violation and the scan of a sick note are what the assessment and leave domains keep here.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from govhall.audit.models import AuditEvent
from govhall.files import limits as L
from govhall.files.models import StoredFile
from govhall.files.services import get_files, register_reader
from govhall.tenancy import tenant_scope
from tests.browsers import Browser
from tests.files.conftest import image_bytes, pdf_bytes, png_bomb


def url(center, *rest: str) -> str:  # type: ignore[no-untyped-def]
    return "/".join([f"/api/t/{center.id}/files", *rest]).rstrip("/")


async def as_user(client, center, key: str) -> Browser:  # type: ignore[no-untyped-def]
    b = Browser(client)
    await b.login(center.users[key])
    return b


async def upload(b: Browser, center, data: bytes, name: str = "photo.png", ctype: str = "image/png",  # type: ignore[no-untyped-def]
                 purpose: str = "test.evidence"):
    return await b.post(url(center), files={"file": (name, data, ctype)}, data={"purpose": purpose})


async def count_files(owner_session, center) -> int:  # type: ignore[no-untyped-def]
    with tenant_scope(center.id):
        n = await owner_session.scalar(select(func.count()).select_from(StoredFile))
        await owner_session.commit()
    return int(n or 0)


def stored_paths(center) -> list[Path]:  # type: ignore[no-untyped-def]
    root = L.storage_root() / str(center.id)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_png_is_sniffed_reencoded_and_served_with_safe_headers(client, centers) -> None:
    a, _ = centers
    clerk = await as_user(client, a, "clerk")
    sent = image_bytes("PNG", (64, 48))
    # the client's name and Content-Type lie; the content decides
    r = await upload(clerk, a, sent, name="../../etc/现场照片.txt", ctype="text/plain")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["mime"] == "image/png" and (body["width"], body["height"]) == (64, 48)
    assert body["name"] == "现场照片.txt.png"
    got = await clerk.get(url(a, body["id"]))
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("image/png")
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["cache-control"] == "private, no-store"
    assert got.headers["content-disposition"].startswith("inline;") and "filename*=UTF-8''" in got.headers["content-disposition"]
    assert hashlib.sha256(got.content).hexdigest() == body["sha256"] and len(got.content) == body["size"]
    thumb = await clerk.get(url(a, body["id"], "thumbnail"))
    assert thumb.status_code == 200 and thumb.headers["content-type"].startswith("image/jpeg")
    assert thumb.content[:3] == b"\xff\xd8\xff"


async def test_big_jpeg_is_downscaled_and_loses_its_metadata(client, centers) -> None:
    from PIL import Image

    a, _ = centers
    clerk = await as_user(client, a, "clerk")
    exif = Image.Exif()
    exif[0x0110] = "Phone X"  # camera model
    sent = image_bytes("JPEG", (4000, 3000), (10, 120, 200), exif=exif.tobytes())
    r = await upload(clerk, a, sent, name="IMG_0001.JPG", ctype="image/jpeg")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["mime"] == "image/jpeg" and (body["width"], body["height"]) == (2560, 1920)
    assert body["name"] == "IMG_0001.jpg"
    stored = (await clerk.get(url(a, body["id"]))).content
    assert Image.open(io.BytesIO(stored)).getexif().get(0x0110) is None


@pytest.mark.parametrize(("data", "name"), [
    (b"MZ\x90\x00 not an image at all", "virus.png"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "x.svg"),
    (b"GIF89a\x01\x00\x01\x00", "anim.gif"),
])
async def test_other_types_are_refused_whatever_they_claim(client, centers, owner_session, data, name) -> None:
    a, _ = centers
    clerk = await as_user(client, a, "clerk")
    before = await count_files(owner_session, a)
    r = await upload(clerk, a, data, name=name, ctype="image/png")
    assert r.status_code == 415 and r.json()["code"] == "file_type_unsupported"
    assert r.json()["message"]["zh"] and r.json()["message"]["en"]
    assert await count_files(owner_session, a) == before


async def test_pdf_is_kept_and_downloads_without_a_thumbnail(client, centers) -> None:
    a, _ = centers
    clerk = await as_user(client, a, "clerk")
    r = await upload(clerk, a, pdf_bytes(), name="病假证明.jpg", ctype="image/jpeg", purpose="test.sick_note")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["mime"] == "application/pdf" and body["width"] is None and body["name"] == "病假证明.jpg.pdf"
    got = await clerk.get(url(a, body["id"]))
    assert got.content == pdf_bytes() and got.headers["content-disposition"].startswith("attachment;")
    r = await clerk.get(url(a, body["id"], "thumbnail"))
    assert r.status_code == 404 and r.json()["code"] == "no_thumbnail"
    truncated = await upload(clerk, a, pdf_bytes()[:-7], name="cut.pdf", ctype="application/pdf")
    assert truncated.status_code == 400 and truncated.json()["code"] == "file_damaged"


async def test_decompression_bomb_png_is_refused_before_decoding(client, centers, owner_session) -> None:
    """A 50 KB PNG that claims 400 million pixels (Pillow's own bomb check fires too) and one of 48 million
    (over our 40 million cap, under Pillow's): both 413, nothing stored."""
    a, _ = centers
    clerk = await as_user(client, a, "clerk")
    before, files_before = await count_files(owner_session, a), stored_paths(a)
    for w, h in ((20000, 20000), (8000, 6000)):
        bomb = png_bomb(w, h)
        assert len(bomb) < 200_000
        r = await upload(clerk, a, bomb, name="bomb.png")
        assert r.status_code == 413, r.text
        assert r.json()["code"] == "image_too_many_pixels" and "40" in r.json()["message"]["en"]
    assert await count_files(owner_session, a) == before and stored_paths(a) == files_before


async def test_oversize_and_damaged_files_are_refused(client, centers, owner_session) -> None:
    a, _ = centers
    clerk = await as_user(client, a, "clerk")
    before = await count_files(owner_session, a)
    lim = L.limits()
    big = b"%PDF-1.4\n" + b"0" * lim.max_bytes + b"\n%%EOF\n"  # one byte class over the limit, within the body cap
    r = await upload(clerk, a, big, name="big.pdf", ctype="application/pdf")
    assert r.status_code == 413 and r.json()["code"] == "file_too_large"
    huge = b"0" * (lim.max_bytes + 200 * 1024)  # past the route's body limit: refused before parsing
    r = await upload(clerk, a, huge, name="huge.pdf", ctype="application/pdf")
    assert r.status_code == 413
    r = await upload(clerk, a, image_bytes("PNG", (300, 300))[:200], name="cut.png")
    assert r.status_code == 400 and r.json()["code"] == "file_damaged"
    r = await upload(clerk, a, b"", name="empty.png")
    assert r.status_code == 400
    assert await count_files(owner_session, a) == before


async def test_bad_form_answers_400(client, centers) -> None:
    a, _ = centers
    clerk = await as_user(client, a, "clerk")
    r = await clerk.post(url(a), data={"purpose": "test.evidence"}, files={"other": ("x.txt", b"x", "text/plain")})
    assert r.status_code == 400 and r.json()["code"] == "file_missing_part", r.text
    r = await clerk.post(url(a), json={})
    assert r.status_code == 400, r.text
    for purpose in ("", "Leave", "../x", "a" * 80, "x.\u202e"):
        r = await upload(clerk, a, image_bytes(), purpose=purpose)
        assert r.status_code == 400 and r.json()["code"] == "invalid_purpose", (purpose, r.text)


async def test_tenant_walls(client, centers) -> None:
    """Another center's file: its URL is refused by the guard (403) and its id under the own center is 404."""
    a, b = centers
    clerk_a = await as_user(client, a, "clerk")
    fid = (await upload(clerk_a, a, image_bytes(color=(1, 2, 3)))).json()["id"]
    admin_b = await as_user(client, b, "admin")
    assert (await admin_b.get(url(a, fid))).status_code == 403
    assert (await admin_b.get(url(a, fid, "thumbnail"))).status_code == 403
    assert (await admin_b.post(url(a), files={"file": ("x.png", image_bytes(), "image/png")},
                               data={"purpose": "test.evidence"})).status_code == 403
    r = await admin_b.get(url(b, fid))
    assert r.status_code == 404 and r.json()["code"] == "file_not_found"


async def test_who_reads_whose_file(client, centers) -> None:
    """The uploader and the center's admins read a file; other staff only when the purpose's registered reader
    says so, and then only for that purpose."""
    a, _ = centers
    clerk = await as_user(client, a, "clerk")
    prefix = f"test.r{uuid.uuid4().hex[:8]}"
    own = (await upload(clerk, a, image_bytes(color=(9, 9, 9)), purpose=f"{prefix}.note")).json()["id"]
    other = (await upload(clerk, a, image_bytes(color=(8, 8, 8)), purpose="test.other")).json()["id"]
    seen: list[tuple[str, str]] = []

    async def chiefs_read(session, user, roles, f):  # type: ignore[no-untyped-def]
        seen.append((f.purpose, ",".join(sorted(roles))))
        return "chief_representative" in roles

    register_reader(prefix, chiefs_read)
    for key, want_own, want_other in (("clerk", 200, 200), ("admin", 200, 200), ("chief", 200, 404),
                                      ("clerk2", 404, 404), ("duty", 404, 404)):
        b = await as_user(client, a, key)
        assert (await b.get(url(a, own))).status_code == want_own, key
        assert (await b.get(url(a, own, "thumbnail"))).status_code == want_own, key
        assert (await b.get(url(a, other))).status_code == want_other, key
    assert (f"{prefix}.note", "chief_representative") in seen
    assert all(p.startswith(prefix) for p, _ in seen)


async def test_same_bytes_are_stored_once(client, centers, owner_session) -> None:
    a, _ = centers
    clerk, clerk2 = await as_user(client, a, "clerk"), await as_user(client, a, "clerk2")
    data = image_bytes(color=(77, 66, 55))
    first = (await upload(clerk, a, data)).json()
    again = (await upload(clerk, a, data, name="retry.png")).json()
    assert again["id"] == first["id"]  # a retry by the same person for the same purpose: the same file
    theirs = (await upload(clerk2, a, data)).json()
    assert theirs["id"] != first["id"] and theirs["sha256"] == first["sha256"]
    on_disk = [p for p in stored_paths(a) if p.name.startswith(first["sha256"])]
    assert sorted(p.name for p in on_disk) == [first["sha256"], first["sha256"] + ".thumb.jpg"]
    with tenant_scope(a.id):
        events = (await owner_session.scalars(select(AuditEvent).where(
            AuditEvent.action == "file.upload", AuditEvent.target_id.in_([first["id"], theirs["id"]])))).all()
        await owner_session.commit()
    assert len(events) == 2 and {e.details["sha256"] for e in events} == {first["sha256"]}


async def test_get_files_is_scoped_to_the_tenant(client, centers, owner_session) -> None:
    a, b = centers
    clerk_a, clerk_b = await as_user(client, a, "clerk"), await as_user(client, b, "clerk")
    fa = (await upload(clerk_a, a, image_bytes(color=(5, 5, 5)))).json()["id"]
    fa2 = (await upload(clerk_a, a, pdf_bytes())).json()["id"]
    fb = (await upload(clerk_b, b, image_bytes(color=(6, 6, 6)))).json()["id"]
    ids = [uuid.UUID(fa2), uuid.UUID(fa), uuid.UUID(fa2)]
    from govhall.errors import AppError

    with tenant_scope(a.id):
        got = await get_files(owner_session, ids)
        assert [str(f.id) for f in got] == [fa2, fa]
        with pytest.raises(AppError) as err:
            await get_files(owner_session, [uuid.UUID(fa), uuid.UUID(fb)])
        assert err.value.code == "file_not_found" and err.value.status_code == 400
        assert err.value.details == {"missing": [fb]}
        await owner_session.commit()
