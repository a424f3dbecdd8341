"""The code location's resources: the pipeline settings (from environment variables), the
run-scoped IO manager, and the in-process executor."""

from pathlib import Path

import dagster as dg

from assets.io_manager import RunScopedIOManager
from pipeline.settings import Settings


class NewsSettings(dg.ConfigurableResource):
    """Raw folder, warehouse folder and spaCy pipeline, shared by the UI, schedule, sensor and CLI.

    Defaults come from NEWS_RAW_DIR, NEWS_WAREHOUSE_DIR, NEWS_SPACY_MODEL, NEWS_NLP_PROCESSES,
    NEWS_MAX_BYTES and NEWS_DOC_SECONDS
    when the code location loads; run config in the UI may override them for one run.
    """

    raw_dir: str
    warehouse_dir: str
    spacy_model: str = ""
    nlp_processes: int = 1
    max_bytes: int = 20 * 1024 * 1024
    doc_seconds: float = 120.0

    @classmethod
    def from_env(cls) -> "NewsSettings":
        s = Settings.from_env()
        return cls(
            raw_dir=str(s.raw_dir),
            warehouse_dir=str(s.warehouse_dir),
            spacy_model=s.spacy_model or "",
            nlp_processes=s.nlp_processes,
            max_bytes=s.max_bytes,
            doc_seconds=s.doc_seconds,
        )

    def settings(self) -> Settings:
        return Settings(
            raw_dir=Path(self.raw_dir),
            warehouse_dir=Path(self.warehouse_dir),
            spacy_model=self.spacy_model or None,
            nlp_processes=self.nlp_processes,
            max_bytes=self.max_bytes,
            doc_seconds=self.doc_seconds,
        )


@dg.definitions
def resources() -> dg.Definitions:
    """Settings read when the code location loads; step outputs kept per run."""
    return dg.Definitions(
        # Step outputs are kept per run, so runs sharing a Dagster home never read each other's.
        resources={"news": NewsSettings.from_env(), "io_manager": RunScopedIOManager()},
        # One process: the spaCy model loads once per run and nlp.pipe handles the parallelism.
        # The IO manager relies on it too: its teardown (removing the run's step data) is the run's end.
        executor=dg.in_process_executor,
    )
