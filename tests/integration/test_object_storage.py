"""Photos in an object store every worker shares (issue 12), through the S3 API of a
real server on loopback (moto's), and the folder store `make run` keeps."""

from __future__ import annotations

import uuid

import pytest
from starlette.testclient import TestClient

from session_app.accounts import deletion
from session_app.db import read_session
from session_app.environment import PROJECT_ROOT, reload_environment
from session_app.media import profile_photos
from session_app.media.http import media_routes
from session_app.media.storage import FolderStore, S3Store, get_store
from session_app.models import AccountDeletion
from tests.integration.test_jobs_run_once import _due_deletions
from tests.support.factories import image_bytes, onboarded_user
from tests.support.smtp import free_port


@pytest.fixture
def bucket(app_env, monkeypatch):
    from moto.server import ThreadedMotoServer

    port, bucket_name = free_port(), f"session-media-{uuid.uuid4().hex[:8]}"
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
        "STORAGE_URL": f"s3://{bucket_name}/photos",  # moto keeps buckets for the process: one each
        "S3_ENDPOINT_URL": endpoint,
    }.items():
        monkeypatch.setenv(name, value)
    reload_environment()
    get_store.cache_clear()
    store = get_store()
    assert isinstance(store, S3Store) and store.prefix == "photos/"
    store._client.create_bucket(Bucket=bucket_name)
    yield store
    get_store.cache_clear()
    server.stop()


def _keys(store: S3Store) -> list[str]:
    listed = store._client.list_objects_v2(Bucket=store.bucket)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def test_a_photo_goes_to_the_bucket_and_any_worker_serves_it(bucket):
    user_id = onboarded_user()
    stem, _ = profile_photos.save_upload(bucket, user_id, image_bytes())
    assert _keys(bucket) == sorted(
        f"photos/{key}"
        for key in (
            profile_photos.public_path(user_id, stem, 128),
            profile_photos.public_path(user_id, stem, 512),
            profile_photos.working_path(user_id, stem),
        )
    )
    client = TestClient(media_routes())  # a worker with no file of its own on disk
    response = client.get("/media/" + profile_photos.public_path(user_id, stem, 128))
    assert response.status_code == 200 and response.headers["content-type"] == "image/webp"
    assert "immutable" in response.headers["cache-control"]
    assert client.get("/media/avatars/").status_code == 404  # never a listing
    assert client.get(f"/media/avatars/{user_id}/").status_code == 404


def test_a_new_photo_replaces_the_old_files_in_the_bucket(bucket):
    user_id = onboarded_user()
    old, _ = profile_photos.save_upload(bucket, user_id, image_bytes())
    new, _ = profile_photos.save_upload(bucket, user_id, image_bytes(colour=(200, 30, 30)))
    assert not any(old in key for key in _keys(bucket))
    assert (
        len([key for key in _keys(bucket) if new in key]) == 2 and len(_keys(bucket)) == 3
    )  # + working copy


def test_deleting_the_account_removes_its_photos_from_the_bucket(bucket):
    (deletion_id,) = _due_deletions(1)
    with read_session() as db:
        user_id = db.get(AccountDeletion, deletion_id).user_id
    profile_photos.save_upload(bucket, user_id, image_bytes())
    other = onboarded_user("stays@example.com", url="stays")
    profile_photos.save_upload(bucket, other, image_bytes())
    assert deletion.execute_deletion(deletion_id, bucket)
    assert _keys(bucket) and all(key.startswith(f"photos/avatars/{other}/") for key in _keys(bucket))


def test_the_folder_store_refuses_keys_that_leave_its_folder(tmp_path):
    store = FolderStore(tmp_path / "uploads")
    for key in ("../secret", "avatars/../../x", "/etc/passwd", "", "avatars//x"):
        with pytest.raises(ValueError):
            store.write(key, b"x", "text/plain")
    store.write("avatars/1/a.webp", b"data", "image/webp")
    assert store.read("avatars/1/a.webp") == b"data" and store.read("avatars/1/b.webp") is None
    store.delete_prefix("avatars/1")
    assert store.read("avatars/1/a.webp") is None


def test_a_relative_upload_folder_is_the_projects_wherever_a_command_runs(app_env, monkeypatch):
    monkeypatch.setenv("REFLEX_UPLOADED_FILES_DIR", "uploaded_files")
    monkeypatch.delenv("STORAGE_URL", raising=False)
    reload_environment()
    get_store.cache_clear()
    try:
        assert get_store() == FolderStore(PROJECT_ROOT / "uploaded_files")
    finally:
        get_store.cache_clear()
