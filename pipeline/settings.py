"""Settings shared by the command line, the Dagster UI, the sensor and the schedule."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_RAW_DIR = "NEWS_RAW_DIR"
ENV_WAREHOUSE_DIR = "NEWS_WAREHOUSE_DIR"
ENV_SPACY_MODEL = "NEWS_SPACY_MODEL"
ENV_NLP_PROCESSES = "NEWS_NLP_PROCESSES"
ENV_MAX_BYTES = "NEWS_MAX_BYTES"
ENV_DOC_SECONDS = "NEWS_DOC_SECONDS"


@dataclass(frozen=True)
class Settings:
    """Where to read, where to write, and which spaCy pipeline to use."""

    raw_dir: Path
    warehouse_dir: Path
    spacy_model: str | None = None  # None: the preferred installed English model
    nlp_processes: int = 1
    max_bytes: int = 20 * 1024 * 1024
    # Wall-time limit per document and stage (cleaning; NLP and extraction); 0 disables it.
    doc_seconds: float = 120.0

    @classmethod
    def from_env(cls, base: Path | None = None) -> "Settings":
        """Read the settings from environment variables, defaulting to ./raw and ./warehouse."""
        base = base or Path.cwd()
        raw = Path(os.environ.get(ENV_RAW_DIR) or base / "raw")
        wh = Path(os.environ.get(ENV_WAREHOUSE_DIR) or base / "warehouse")
        return cls(
            raw_dir=raw.resolve(),
            warehouse_dir=wh.resolve(),
            spacy_model=os.environ.get(ENV_SPACY_MODEL) or None,
            # Both cores by default: cleaning and NLP run in forked workers on batches of 50+ articles.
            nlp_processes=int(os.environ.get(ENV_NLP_PROCESSES) or os.cpu_count() or 1),
            max_bytes=int(os.environ.get(ENV_MAX_BYTES) or 20 * 1024 * 1024),
            doc_seconds=float(os.environ.get(ENV_DOC_SECONDS) or 120.0),
        )
