"""Settings resolved once (defaults, then command-line options) and passed down frozen."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    output: Path = Path("output")
    store: Path | None = None  # default: <output>/store
    max_chars: int = 2_000_000
    validate: bool = False

    @property
    def store_path(self) -> Path:
        return self.store if self.store is not None else self.output / "store"
