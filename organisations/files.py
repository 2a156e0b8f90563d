"""Private files: attachments, documents and letters, served only through permission-checked views."""

import hashlib

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, Http404
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    """The "private" storage of settings.STORAGES, looked up when first used."""

    def _setup(self):
        self._wrapped = storages["private"]


_private = _PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    """Follow a changed STORAGES setting (as tests do); Django resets its own cache then."""
    if setting == "STORAGES":
        _private._wrapped = empty


def private_storage():
    """Return the storage for files that must never be reachable by URL."""
    return _private


def sha256_of(file) -> str:
    """Return the hex SHA-256 of an open file, read in chunks, leaving it at the start."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def store_upload(stored, file, *, original_name: str, content_type: str, actor):
    """Fill in a new ``StoredFile`` (attachment, document) from a checked upload, save the file
    under its hash in private storage and save the row; return it."""
    stored.original_name = original_name[:255]
    stored.content_type = content_type
    stored.size = file.size
    stored.sha256 = sha256_of(file)
    stored.uploaded_by = actor
    stored.file.save(stored.sha256[:16], file, save=False)
    stored.save()
    return stored


def private_file_response(stored_file, *, inline: bool = False):
    """Return a response that sends a private file under its given name, never sniffed as HTML.

    ``stored_file`` is a ``StoredFile`` (attachment, document): the name and type shown are the
    ones recorded when it was checked on upload.
    """
    try:
        handle = stored_file.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=stored_file.original_name,
        content_type=stored_file.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
