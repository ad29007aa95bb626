"""S3 adapter of the documents bucket: presigned uploads and downloads, reads and deletions.

The bucket is versioned, so deleting a document removes each of its versions: a plain
DeleteObject would only hide the data behind a delete marker.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from botocore.exceptions import ClientError

from demarches.clock import Clock
from demarches.errors import UnavailableError
from demarches.famille.ports import PresignedUpload

_NOT_FOUND = frozenset({"404", "NoSuchKey", "NotFound"})


class S3DocumentStore:
    def __init__(self, client: Any, bucket: str, clock: Clock) -> None:
        self._s3 = client
        self._bucket = bucket
        self._clock = clock

    def presigned_upload(
        self, key: str, *, max_bytes: int, content_type: str, expires_seconds: int
    ) -> PresignedUpload:
        post = self._s3.generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_seconds,
        )
        return PresignedUpload(
            url=post["url"],
            fields=dict(post["fields"]),
            key=key,
            max_bytes=max_bytes,
            expires_at=self._clock.now() + timedelta(seconds=expires_seconds),
        )

    def size(self, key: str) -> int | None:
        try:
            response = self._s3.head_object(Bucket=self._bucket, Key=key)
        except ClientError as exc:
            if exc.response["Error"]["Code"] in _NOT_FOUND:
                return None
            raise UnavailableError("the document store cannot be read; try again") from exc
        return int(response["ContentLength"])

    def read(self, key: str) -> bytes:
        try:
            response = self._s3.get_object(Bucket=self._bucket, Key=key)
        except ClientError as exc:
            raise UnavailableError("the document cannot be read; try again") from exc
        body: bytes = response["Body"].read()
        return body

    def put(self, key: str, data: bytes, content_type: str) -> None:
        try:
            self._s3.put_object(Bucket=self._bucket, Key=key, Body=data, ContentType=content_type)
        except ClientError as exc:
            raise UnavailableError("the document could not be stored; try again") from exc

    def delete_all_versions(self, key: str) -> int:
        paginator = self._s3.get_paginator("list_object_versions")
        versions = [
            {"Key": entry["Key"], "VersionId": entry["VersionId"]}
            for page in paginator.paginate(Bucket=self._bucket, Prefix=key)
            for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
            if entry["Key"] == key
        ]
        if versions:
            self._s3.delete_objects(
                Bucket=self._bucket, Delete={"Objects": versions, "Quiet": True}
            )
        return len(versions)

    def presigned_download(self, key: str, *, expires_seconds: int, file_name: str) -> str:
        url: str = self._s3.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self._bucket,
                "Key": key,
                "ResponseContentDisposition": f'attachment; filename="{file_name}"',
            },
            ExpiresIn=expires_seconds,
        )
        return url
