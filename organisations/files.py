"""Private files: attachments, documents and letters, served only through permission-checked views."""

import hashlib

from django.core.files.storage import storages


def private_storage():
    """Return the storage for files that must never be reachable by URL."""
    return storages["private"]


def sha256_of(file) -> str:
    """Return the hex SHA-256 of an open file, read in chunks, leaving it at the start."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()
