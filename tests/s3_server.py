"""An S3-compatible server of the tests' own (moto's, from PyPI) on a free loopback port: the workbook cache on S3.

The platform stores files on S3 through django-storages' ``S3Boto3Storage`` (Tutor's MinIO speaks the same
API); the tests give that storage this server, so the cache runs against real S3 requests over HTTP.
"""

import contextlib
import subprocess
import sys
import urllib.request
from collections.abc import Iterator

from redis_server import free_port, wait_until_answering

BUCKET = "leadmanage-tests"
#: moto accepts any credentials; these are placeholders, not a secret.
KEY, SECRET, REGION = "testing", "testing", "us-east-1"


def answers(url: str) -> bool:
    with contextlib.suppress(OSError):
        with urllib.request.urlopen(url, timeout=1):
            return True
    return False


@contextlib.contextmanager
def running_s3() -> Iterator[str]:
    """A moto S3 server; its endpoint URL while the context lasts."""
    port = free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(server, lambda: answers(endpoint), "the S3 server", seconds=30)
        yield endpoint
    finally:
        server.terminate()
        server.wait(10)


def s3_storage(endpoint: str, bucket: str):
    """django-storages' S3 storage on ``endpoint``, with ``bucket`` created empty."""
    import boto3
    from storages.backends.s3 import S3Storage

    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=KEY, aws_secret_access_key=SECRET)
    client.create_bucket(Bucket=bucket)
    return S3Storage(bucket_name=bucket, endpoint_url=endpoint, access_key=KEY, secret_key=SECRET, region_name=REGION)
