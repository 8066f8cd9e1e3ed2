"""Where uploaded files live: a folder (the default, for `make run`), or an object
store through the S3 API (`STORAGE_URL=s3://bucket/prefix`) that every worker, the
deletion job and the operator command share.

Keys look like "avatars/12/Abc…-128.webp". Nothing here lists a bucket for anyone:
files are served one key at a time (media/http.py), and listing is only used to
delete an account's files.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import secrets
import shutil
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from session_app.environment import get_environment

# Content-addressed by random names that never change meaning: cache for a year.
IMMUTABLE = "public, max-age=31536000, immutable"


class Store(Protocol):
    def write(self, key: str, data: bytes, content_type: str) -> None: ...

    def read(self, key: str) -> bytes | None: ...

    def delete(self, *keys: str) -> None: ...

    def delete_prefix(self, prefix: str) -> None: ...


def _checked(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or any(part in {"", ".", ".."} for part in parts):
        raise ValueError(f"not a storage key: {key!r}")
    return key


@dataclasses.dataclass(frozen=True)
class FolderStore:
    """Files under one folder of this machine."""

    root: Path

    def write(self, key: str, data: bytes, content_type: str) -> None:
        write_atomically(self.root / _checked(key), data)

    def read(self, key: str) -> bytes | None:
        try:
            return (self.root / _checked(key)).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def delete(self, *keys: str) -> None:
        for key in keys:
            (self.root / _checked(key)).unlink(missing_ok=True)

    def delete_prefix(self, prefix: str) -> None:
        shutil.rmtree(self.root / _checked(prefix.rstrip("/")), ignore_errors=True)


@dataclasses.dataclass(frozen=True)
class S3Store:
    """Objects in a bucket, through the S3 API (AWS, MinIO, Ceph, R2…). Credentials
    come the standard way (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or a role)."""

    bucket: str
    prefix: str = ""
    endpoint_url: str | None = None

    @functools.cached_property
    def _client(self):
        import boto3
        from botocore.config import Config

        config = Config(connect_timeout=3, read_timeout=10, retries={"max_attempts": 3, "mode": "standard"})
        return boto3.client("s3", endpoint_url=self.endpoint_url, config=config)

    def _key(self, key: str) -> str:
        return self.prefix + _checked(key)

    def write(self, key: str, data: bytes, content_type: str) -> None:
        self._client.put_object(
            Bucket=self.bucket,
            Key=self._key(key),
            Body=data,
            ContentType=content_type,
            CacheControl=IMMUTABLE,
        )

    def read(self, key: str) -> bytes | None:
        try:
            return self._client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()
        except self._client.exceptions.NoSuchKey:
            return None

    def delete(self, *keys: str) -> None:
        if keys:
            objects = [{"Key": self._key(key)} for key in keys]
            self._client.delete_objects(Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True})

    def delete_prefix(self, prefix: str) -> None:
        pages = self._client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self._key(prefix.rstrip("/")) + "/"
        )
        for page in pages:
            objects = [{"Key": item["Key"]} for item in page.get("Contents", [])]
            if objects:
                self._client.delete_objects(Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True})


@functools.cache
def get_store() -> Store:
    """The configured store: STORAGE_URL, else the upload folder."""
    env = get_environment()
    if not env.storage_url:
        return FolderStore(env.upload_dir)
    parts = urlsplit(env.storage_url)
    prefix = parts.path.strip("/")
    return S3Store(parts.netloc, f"{prefix}/" if prefix else "", env.s3_endpoint_url or None)


def write_atomically(path: Path, data: bytes) -> None:
    """Write, flush to disk, then rename into place: readers see all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
