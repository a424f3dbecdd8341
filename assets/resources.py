"""Dagster resource holding the pipeline settings, read from environment variables."""

from pathlib import Path

import dagster as dg

from pipeline.settings import Settings


class NewsSettings(dg.ConfigurableResource):
    """Raw folder, warehouse folder and spaCy pipeline, shared by the UI, schedule, sensor and CLI.

    Defaults come from NEWS_RAW_DIR, NEWS_WAREHOUSE_DIR, NEWS_SPACY_MODEL and NEWS_NLP_PROCESSES
    when the code location loads; run config in the UI may override them for one run.
    """

    raw_dir: str
    warehouse_dir: str
    spacy_model: str = ""
    nlp_processes: int = 1
    max_bytes: int = 20 * 1024 * 1024

    @classmethod
    def from_env(cls) -> "NewsSettings":
        s = Settings.from_env()
        return cls(
            raw_dir=str(s.raw_dir),
            warehouse_dir=str(s.warehouse_dir),
            spacy_model=s.spacy_model or "",
            nlp_processes=s.nlp_processes,
            max_bytes=s.max_bytes,
        )

    def settings(self) -> Settings:
        return Settings(
            raw_dir=Path(self.raw_dir),
            warehouse_dir=Path(self.warehouse_dir),
            spacy_model=self.spacy_model or None,
            nlp_processes=self.nlp_processes,
            max_bytes=self.max_bytes,
        )
