"""Evidence through the web: upload checks, and who may download (always as an attachment)."""

from pathlib import Path

import pytest

from emulation.assessments.models import Evidence
from emulation.extensions import db
from tests.accounts.helpers import dispose, sign_in
from tests.assessments.helpers import EXE, PDF, PNG, build
from tests.campaigns.helpers import speak_english
from tests.conftest import IsolatedClient

MB = 1024 * 1024


def _upload(client, draft, criterion, name, content, field="file"):
    # The multipart body is built here, in memory: the test client would spool a large body to
    # a temporary file it never closes.
    boundary = "----sa-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.post(
        f"/my-unit/assessments/{draft.id}/criteria/{criterion.id}/evidence",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"HX-Request": "true"},
    )


@pytest.fixture
def uploaded(client, make, login_as):
    """A draft with one photo on criterion P1, uploaded by its unit head."""
    world = build(make)
    draft = world.draft(make)
    login_as(world.head)
    speak_english(client)
    response = _upload(client, draft, world.c["P1"], "anh-hien-truong.png", PNG, field="photo")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "anh-hien-truong.png" in response.get_data(as_text=True)
    client.post("/auth/logout")
    return world, draft, draft.evidence[0]


def test_an_executable_renamed_pdf_is_refused(client, make, login_as):
    world = build(make)
    draft = world.draft(make)
    login_as(world.head)
    speak_english(client)
    response = _upload(client, draft, world.c["P1"], "bien-ban.pdf", EXE)
    assert response.status_code == 422
    assert "not a PDF file" in response.get_data(as_text=True)
    assert draft.evidence == []


def test_a_file_over_max_upload_mb_is_refused(make_app, make, client, login_as):
    from emulation.assessments import evidence_views

    world = build(make)
    draft = world.draft(make)
    login_as(world.head)
    speak_english(client)
    client.application.config["MAX_UPLOAD_MB"] = 1
    try:
        big = b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10)
        response = _upload(client, draft, world.c["P1"], "lon.pdf", big)
    finally:
        client.application.config["MAX_UPLOAD_MB"] = 20
    assert response.status_code == 422
    assert "larger than 1 MB" in response.get_data(as_text=True)
    assert evidence_views.MB == 1024 * 1024 and draft.evidence == []


def _stored_files(app) -> set:
    return {p for p in Path(app.config["EVIDENCE_DIR"]).rglob("*") if p.is_file()}


def _too_big() -> bytes:
    return PDF + b"0" * (2 * MB)  # over a 2 MB request limit, not only over a 1 MB file limit


def test_a_request_over_the_size_limit_gets_a_vietnamese_413_and_stores_nothing(
    app, make, client, login_as
):
    world = build(make)
    draft = world.draft(make)
    login_as(world.head)  # the interface in Vietnamese, the default
    files_before = _stored_files(app)
    saved = app.config["MAX_UPLOAD_MB"], app.config["MAX_CONTENT_LENGTH"]
    app.config.update(MAX_UPLOAD_MB=1, MAX_CONTENT_LENGTH=2 * MB)
    try:
        response = _upload(client, draft, world.c["P1"], "lon.pdf", _too_big())
    finally:
        app.config.update(MAX_UPLOAD_MB=saved[0], MAX_CONTENT_LENGTH=saved[1])
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Tệp lớn hơn 1 MB." in page and f'id="ev-{world.c["P1"].id}"' in page  # the fragment
    assert db.session.query(Evidence).count() == 0 and draft.evidence == []
    assert _stored_files(app) == files_before


@pytest.fixture
def strict(make_app):
    """As in production, CSRF checked on every POST; requests up to 2 MB, files up to 1 MB."""
    app = make_app(WTF_CSRF_ENABLED=True, MAX_UPLOAD_MB=1, MAX_CONTENT_LENGTH=2 * MB)
    app.test_client_class = IsolatedClient
    yield app
    dispose(app)


def _with_token(app, user):
    """A client signed in as `user` that sends the page's CSRF token, as htmx does."""
    client = app.test_client()
    sign_in(app, client, user)
    page = client.get("/my-unit/").get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    client.environ_base["HTTP_X_CSRFTOKEN"] = token
    return client


def test_with_csrf_on_an_upload_over_the_limit_gets_the_evidence_list_back(app, make, strict):
    world = build(make)
    draft = world.draft(make)
    db.session.commit()
    files_before = _stored_files(strict)
    client = _with_token(strict, world.head)
    response = _upload(client, draft, world.c["P1"], "lon.pdf", _too_big())
    db.session.expire_all()
    stored = db.session.query(Evidence).count(), _stored_files(strict) - files_before
    small = _upload(client, draft, world.c["P1"], "nho.pdf", PDF)  # the token is good
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    # CSRFProtect reads the body before the view; still the criterion's list comes back, for
    # htmx to swap in, never a whole error page inside the criterion.
    assert "Tệp lớn hơn 1 MB." in page and f'id="ev-{world.c["P1"].id}"' in page
    assert "<html" not in page
    assert stored == (0, set())
    assert small.status_code == 200 and "nho.pdf" in small.get_data(as_text=True)


def test_with_csrf_on_another_units_head_gets_the_plain_413_page(app, make, strict):
    world = build(make)
    draft = world.draft(make)
    outsider = make.unit_head(unit=make.unit(parent=world.unit.parent))
    db.session.commit()
    client = _with_token(strict, outsider)
    response = _upload(client, draft, world.c["P1"], "lon.pdf", _too_big())
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Tệp lớn hơn dung lượng cho phép tải lên." in page and 'id="ev-' not in page


def test_the_unit_head_downloads_as_an_attachment(client, login_as, uploaded):
    world, _draft, evidence = uploaded
    login_as(world.head)
    response = client.get(f"/evidence/{evidence.id}")
    assert response.status_code == 200 and response.data == PNG
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "anh-hien-truong.png" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    response.close()


def test_the_board_of_that_unit_and_admins_in_scope_may_download(client, make, login_as, uploaded):
    world, _draft, evidence = uploaded
    province = world.unit.parent
    board = make.board(period=world.period, scope=province)
    member = make.board_member(scope=province)
    chair = make.board_member(scope=province, chair=True)
    make.member(board=board, user=member)
    make.member(board=board, user=chair, is_chair=True)
    for user in (member, chair, make.admin(scope=province), make.admin()):
        login_as(user)
        response = client.get(f"/evidence/{evidence.id}")
        assert response.status_code == 200, user.username
        response.close()
        client.post("/auth/logout")


def test_others_are_refused(client, make, login_as, uploaded):
    world, _draft, evidence = uploaded
    url = f"/evidence/{evidence.id}"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    other_province = make.province()
    other_board = make.board(period=world.period, scope=other_province)
    outsider = make.board_member(scope=other_province)
    make.member(board=other_board, user=outsider)
    not_on_a_board = make.board_member(scope=world.unit.parent)  # the grant alone is not enough
    refused = [
        make.unit_head(unit=make.unit(parent=world.unit.parent)),  # another unit's head
        outsider,  # a member of another board
        not_on_a_board,
        make.admin(scope=other_province),  # an admin out of scope
        make.viewer(scope=world.unit.parent),
    ]
    for user in refused:
        login_as(user)
        assert client.get(url).status_code == 404, user.username
        client.post("/auth/logout")


def test_removing_evidence_while_draft(client, login_as, uploaded, db_session):
    world, draft, evidence = uploaded
    evidence_id = evidence.id
    login_as(world.head)
    response = client.post(
        f"/my-unit/evidence/{evidence_id}/remove", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "anh-hien-truong.png" not in response.get_data(as_text=True)
    db_session.refresh(draft)
    assert draft.evidence == []
    assert client.get(f"/evidence/{evidence_id}").status_code == 404
