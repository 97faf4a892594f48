"""kg: Arabic and English news articles to a knowledge graph of conflict events, with provenance."""
from .errors import KGError

__version__ = "0.1.0"
__all__ = ["KGError", "__version__"]
