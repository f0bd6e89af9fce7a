"""Private file storage: certificate PDFs live outside ``MEDIA_ROOT`` and have no URL.

They are only ever streamed by a view that checks who is asking (see
:func:`certificates.views.download`), so the storage refuses to build a URL.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateMediaStorage(FileSystemStorage):
    """A file system storage rooted at ``settings.PRIVATE_MEDIA_ROOT``.

    The root is read on every use rather than once at start-up, so a test that points
    ``PRIVATE_MEDIA_ROOT`` at a temporary folder is obeyed.
    """

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return str(Path(self.base_location).resolve())

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; stream them through a view.")


#: The storage of every certificate PDF.
private_storage = PrivateMediaStorage()
