"""S3 adapter of the urbanism ``DocumentStore``: the documents bucket and the archive bucket.

Both buckets are versioned, so a replaced document keeps its earlier versions. The archive
bucket has S3 Object Lock with a default retention: an archived decision cannot be
overwritten (the write is conditional on the key being absent) nor deleted before the
retention ends.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from botocore.exceptions import ClientError

from demarches.errors import ConflictError, NotFoundError, UnavailableError
from demarches.urbanisme.ports import UploadTarget

PDF = "application/pdf"
_MISSING = frozenset({"404", "NoSuchKey", "NoSuchVersion", "NotFound"})


class S3UrbanismeDocumentStore:
    def __init__(self, client: Any, *, bucket: str, archive_bucket: str) -> None:
        self._s3 = client
        self._bucket = bucket
        self._archive = archive_bucket

    def create_upload(self, key: str, *, max_bytes: int, expires_in_seconds: int) -> UploadTarget:
        # The key is fixed in the policy: the browser cannot choose where the file lands.
        # NOTE: the emulator ignores the policy's conditions, so they are enforced only on AWS;
        # the upload check reads every file again whatever the policy allowed.
        post = self._s3.generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Fields={"Content-Type": PDF},
            Conditions=[{"Content-Type": PDF}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_in_seconds,
        )
        return UploadTarget(
            url=post["url"],
            fields=dict(post["fields"]),
            key=key,
            expires_in_seconds=expires_in_seconds,
        )

    def read_upload(self, key: str, version_id: str, *, max_bytes: int) -> bytes:
        request: dict[str, Any] = {
            "Bucket": self._bucket,
            "Key": key,
            "Range": f"bytes=0-{max_bytes}",
        }
        if version_id:
            request["VersionId"] = version_id
        try:
            return self._read(request)
        except UnavailableError as exc:
            # S3 returns 416 for any range of an empty object.
            cause = exc.__cause__
            if isinstance(cause, ClientError) and cause.response["Error"]["Code"] == "InvalidRange":
                return b""
            raise

    def get(self, key: str) -> bytes:
        return self._read({"Bucket": self._bucket, "Key": key})

    def read_archive(self, key: str) -> bytes:
        return self._read({"Bucket": self._archive, "Key": key})

    def _read(self, request: dict[str, Any]) -> bytes:
        try:
            response = self._s3.get_object(**request)
        except ClientError as exc:
            if exc.response["Error"]["Code"] in _MISSING:
                raise NotFoundError(f"No stored document {request['Key']}.") from exc
            raise UnavailableError("the document cannot be read; try again") from exc
        body: bytes = response["Body"].read()
        return body

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        try:
            self._s3.put_object(Bucket=self._bucket, Key=key, Body=data, ContentType=content_type)
        except ClientError as exc:
            raise UnavailableError("the document could not be stored; try again") from exc

    def archive(self, key: str, data: bytes, *, content_type: str) -> None:
        try:
            self._s3.put_object(
                Bucket=self._archive,
                Key=key,
                Body=data,
                ContentType=content_type,
                IfNoneMatch="*",
                # Object Lock needs an integrity checksum on every write.
                ChecksumAlgorithm="SHA256",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] in (
                "PreconditionFailed",
                "ConditionalRequestConflict",
            ):
                raise ConflictError(f"The archive already contains {key}.") from exc
            raise UnavailableError("the document could not be archived; try again") from exc

    def delete_version(self, key: str, version_id: str) -> None:
        try:
            self._s3.delete_object(Bucket=self._bucket, Key=key, VersionId=version_id)
        except ClientError as exc:
            if exc.response["Error"]["Code"] not in _MISSING:
                raise UnavailableError("the rejected upload could not be deleted") from exc

    def download_url(self, key: str, *, file_name: str, expires_in_seconds: int) -> str:
        disposition = f"attachment; filename*=UTF-8''{quote(file_name)}"
        url: str = self._s3.generate_presigned_url(
            "get_object",
            Params={"Bucket": self._bucket, "Key": key, "ResponseContentDisposition": disposition},
            ExpiresIn=expires_in_seconds,
        )
        return url
