"""Evidence files: allowed types by extension and content, size limit, storage, removal."""

import hashlib
import io
import zipfile

import pytest
from sqlalchemy import select

from emulation.assessments import services
from emulation.assessments.evidence import stored_path
from emulation.audit.models import AuditEvent
from emulation.errors import InvalidInput, InvalidState
from tests.assessments.helpers import EXE, JPEG, PDF, PNG, build, fill_complete

MB = 1024 * 1024


def _office(member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<x/>")
    return buffer.getvalue()


HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 32


def _add(session, world, draft, name, content, tmp_path, max_bytes=20 * MB, code="P1"):
    return services.add_evidence(
        session,
        assessment=draft,
        criterion_id=world.c[code].id,
        actor=world.head,
        filename=name,
        stream=io.BytesIO(content),
        evidence_dir=tmp_path,
        max_bytes=max_bytes,
    )


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("bien-ban.pdf", PDF, "application/pdf"),
        ("anh.JPG", JPEG, "image/jpeg"),
        ("anh.png", PNG, "image/png"),
        ("IMG_0001.HEIC", HEIC, "image/heic"),
        ("bao-cao.docx", _office("word/document.xml"), None),
        ("so-lieu.xlsx", _office("xl/workbook.xml"), None),
    ],
)
def test_accepted_types_are_stored_under_a_server_name(
    make, db_session, tmp_path, name, content, mime
):
    world = build(make)
    draft = world.draft(make)
    evidence = _add(db_session, world, draft, name, content, tmp_path)
    assert evidence.original_name == name
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.size == len(content)
    assert mime is None or evidence.mime == mime
    assert name not in evidence.stored_name and len(evidence.stored_name) <= 40
    assert stored_path(tmp_path, evidence.stored_name).read_bytes() == content


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("virus.pdf", EXE, "not a PDF"),  # an executable renamed .pdf
        ("virus.exe", EXE, "not accepted"),
        ("trang.html", b"<html><script>", "not accepted"),
        ("anh.png", JPEG, "not a PNG"),
        ("bao-cao.docx", _office("xl/workbook.xml"), "not a DOCX"),
        ("bao-cao.docx", b"PK\x03\x04garbage", "not a DOCX"),
        ("rong.pdf", b"", "empty"),
    ],
)
def test_wrong_types_are_refused_and_nothing_is_kept(
    make, db_session, tmp_path, name, content, words
):
    world = build(make)
    draft = world.draft(make)
    with pytest.raises(InvalidInput) as info:
        _add(db_session, world, draft, name, content, tmp_path)
    assert words in info.value.message
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_file_over_the_limit_is_refused(make, db_session, tmp_path):
    world = build(make)
    draft = world.draft(make)
    with pytest.raises(InvalidInput) as info:
        _add(db_session, world, draft, "lon.pdf", PDF + b"0" * MB, tmp_path, max_bytes=MB)
    assert "larger than 1 MB" in info.value.message
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_the_same_file_twice_on_one_criterion_is_refused(make, db_session, tmp_path):
    world = build(make)
    draft = world.draft(make)
    _add(db_session, world, draft, "a.pdf", PDF, tmp_path)
    with pytest.raises(InvalidInput):
        _add(db_session, world, draft, "b.pdf", PDF, tmp_path)


def test_evidence_satisfies_the_requirement_and_is_audited(make, db_session, tmp_path):
    world = build(make)
    draft = world.draft(make)
    fill_complete(db_session, world, draft)
    services.save_self_score(
        db_session,
        assessment=draft,
        actor=world.head,
        expected_version=1,
        data=services.ScoreInput(world.c["P1"].id, 1),
    )
    evidence = _add(db_session, world, draft, "quyet-dinh.pdf", PDF, tmp_path)
    stored = services.remove_evidence(db_session, evidence=evidence, actor=world.head)
    assert stored == evidence.stored_name
    with pytest.raises(InvalidInput):  # the penalty now lacks its evidence
        services.submit_assessment(
            db_session, assessment=draft, actor=world.head, expected_version=None
        )
    _add(db_session, world, draft, "quyet-dinh.pdf", PDF, tmp_path)
    services.submit_assessment(
        db_session, assessment=draft, actor=world.head, expected_version=None
    )
    db_session.commit()
    actions = db_session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.action.like("evidence.%"))
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["evidence.added", "evidence.removed", "evidence.added"]


def test_no_evidence_changes_once_submitted(make, db_session, tmp_path):
    world = build(make)
    draft = world.draft(make)
    fill_complete(db_session, world, draft)
    evidence = _add(db_session, world, draft, "a.pdf", PDF, tmp_path, code="1.1")
    services.submit_assessment(
        db_session, assessment=draft, actor=world.head, expected_version=None
    )
    with pytest.raises(InvalidState):
        _add(db_session, world, draft, "b.png", PNG, tmp_path)
    with pytest.raises(InvalidState):
        services.remove_evidence(db_session, evidence=evidence, actor=world.head)
