"""Shipped data: the gazetteer and the lexicons, with their loader and schema check."""
from .loader import Gazetteer, GazetteerEntry, Lexicons, gazetteer, lexicons

__all__ = ["Gazetteer", "GazetteerEntry", "Lexicons", "gazetteer", "lexicons"]
