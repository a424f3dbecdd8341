"""Shared fixtures: the seeds' gold labels, the bundled raw folder, a built warehouse."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
GOLD = json.loads((Path(__file__).parent / "data" / "seeds_gold.json").read_text(encoding="utf-8"))
SEED_NAMES = sorted(GOLD["articles"])

# Short articles for tests that need a few distinct, figure-bearing bodies.
KUNDUZ = (
    "Taliban fighters captured the northern city of Kunduz on Monday after a week of heavy fighting, officials said.\n\n"
    "About 200 government soldiers were killed and 300 were wounded, according to the provincial governor.\n"
)
HERAT = (
    "Rebel forces attacked an army base near Herat on Tuesday, the Defence Ministry said.\n\n"
    "At least 45 civilians were killed in the attack and 12 soldiers were captured by the rebels.\n"
)
KANDAHAR = (
    "Government troops retook the main bazaar in Kandahar on Wednesday, a spokesman for the governor said.\n\n"
    "More than 3,000 residents have fled the fighting since January, the United Nations said.\n"
)
MAZAR = (
    "Opposition commanders said on Thursday that 80 prisoners were freed from a jail near Mazar-e-Sharif.\n\n"
    "Several hundred fighters surrendered to the alliance, a commander said.\n"
)


def required_figures() -> list[tuple[str, dict]]:
    return [(name, fig) for name in SEED_NAMES for fig in GOLD["articles"][name]["figures"] if fig["required"]]


@pytest.fixture(scope="session")
def gold() -> dict:
    return GOLD


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The bundled raw/ folder (copied) run through the whole pipeline once, without Dagster."""
    from pipeline.run import run_pipeline

    base = tmp_path_factory.mktemp("built")
    raw = base / "raw"
    shutil.copytree(RAW, raw)
    settings = Settings(raw_dir=raw, warehouse_dir=base / "warehouse")
    run_pipeline(settings)
    return settings


@pytest.fixture(scope="session")
def tables(built: Settings) -> dict:
    from pipeline.warehouse.store import WarehouseStore

    return {name: t.to_pylist() for name, t in WarehouseStore(built.warehouse_dir).read_tables().items()}


def copy_raw(dest: Path, names: list[str] | None = None) -> Path:
    """Copy the bundled raw folder (or only the named seed files) to dest."""
    if names is None:
        shutil.copytree(RAW, dest)
    else:
        dest.mkdir(parents=True)
        for name in names:
            shutil.copy(RAW / name, dest / name)
    return dest
