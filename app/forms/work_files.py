"""The file field of work handed in (an assignment, a project): its description, reading the file sent, and what the
field says when the rest of the form was refused (a browser never sends a file back with a page)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField

from app.services.common import uploads
from app.services.common.uploads import Upload


def describe(field: FileField, archive: bool = False) -> None:
    """The types and size accepted, in the reader's language (set when the form is made)."""
    if archive:
        field.description = _l("Un seul fichier : PDF, image PNG ou JPEG, texte brut (.txt) ou archive ZIP qui en "
                               "réunit plusieurs, %(size)s Mo au plus. Le reste (notebooks, maquettes, vidéos) : "
                               "par un lien.", size=uploads.work_max_megabytes())
    else:
        field.description = _l("Un seul fichier : PDF, image PNG ou JPEG, ou texte brut (.txt), %(size)s Mo au "
                               "plus.", size=uploads.work_max_megabytes())


def read(field: FileField) -> Upload | None:
    storage = field.data
    if not storage or not storage.filename:
        return None
    # Never more than the limit and one byte: enough to know that a file is too big.
    return Upload(storage.filename, storage.read(uploads.work_max_bytes() + 1))


def ask_again_if_refused_elsewhere(field: FileField, upload: Upload | None) -> None:
    """The file was fine but the form was refused for another field: it must be chosen again."""
    if upload is not None and not field.errors:
        field.description = " ".join((str(field.description),
                                      _("Le fichier choisi était correct, mais il faut le choisir à nouveau.")))
