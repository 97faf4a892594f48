"""One error tree. The library raises these; only `kg.cli` turns them into messages and exit codes."""
from __future__ import annotations


class KGError(Exception):
    """Base of every error kg raises on purpose. The message says what to do next."""

    exit_code = 1


class UsageError(KGError):
    """The command was called wrongly (bad option value, missing file)."""

    exit_code = 2


class InputError(KGError):
    """An input file or line cannot be used. Carries where, so the user can find it."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


class ExtractionError(InputError):
    """Extraction failed on one article (a bug met by unusual text); the article is skipped."""


class ResourceError(KGError):
    """A shipped gazetteer or lexicon file is malformed (a packaging bug, not user data)."""


class StoreError(KGError):
    """The store cannot be opened or written."""


class StoreBusyError(StoreError):
    """Another kg process holds the store's write lock."""


class QueryError(KGError):
    """A SPARQL query is malformed or failed."""


class ExportError(KGError):
    """An export could not be written."""


class ViewTooLargeError(KGError):
    """The HTML view would hold more nodes than a browser can use; narrow it with a focus or filters."""


class ShapesError(KGError):
    """The SHACL shapes given to `kg validate` cannot be read."""


class ServeError(KGError):
    """The SPARQL server could not be started (port in use, store busy, server missing)."""


class PushError(KGError):
    """Sending the graph to a remote Graph Store Protocol endpoint failed."""
