"""Offline interactive HTML view of the entity-event network."""
from .html import graph_data, write_html

__all__ = ["graph_data", "write_html"]
