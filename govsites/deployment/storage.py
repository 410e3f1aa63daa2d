"""Object storage (S3-compatible) for media and the published tree.

MediaStorage keeps uploads in the bucket under media/ but gives them the site's own address
(/media/…): nginx proxies that prefix to the bucket, so published pages never name the
bucket's host and stay valid when the object store moves. TreeBucket is the published tree's
copy in the same bucket (published/<host>/<path>), written by the publisher and read by each
web node's `govsites sync`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings
from storages.backends.s3 import S3Storage


class MediaStorage(S3Storage):
    """Uploads in the bucket, addressed through the sites' own /media/ path."""

    def url(self, name: str | None, parameters: Any = None, expire: Any = None,
            http_method: Any = None) -> str:
        return settings.MEDIA_URL + quote(str(name or "").lstrip("/"))


def s3_configured() -> bool:
    return bool(getattr(settings, "GOVSITES_S3_BUCKET", ""))


def s3_client() -> Any:
    """A boto3 client for the configured bucket's endpoint."""
    import boto3

    conf = settings.GOVSITES_S3
    return boto3.client("s3", endpoint_url=conf["endpoint_url"], region_name=conf["region_name"],
                        aws_access_key_id=conf["access_key"],
                        aws_secret_access_key=conf["secret_key"])
