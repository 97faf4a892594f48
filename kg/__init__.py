"""kg: Arabic and English news articles to a knowledge graph of conflict events, with provenance.

The Python API is `kg.api` (`from kg.api import build, query, export, validate, serve, push`):
the names `kg.build`, `kg.query` and `kg.export` belong to the modules that implement them.
"""
from .errors import KGError

__version__ = "0.1.0"
__all__ = ["KGError", "__version__"]
