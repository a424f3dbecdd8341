"""Ingest stage: find raw files, group them into units, read them into records.

Plain functions, no Dagster: `scan_raw_folder` lists the raw folder,
`group_units` pairs articles with their `.meta.json` sidecars,
`unit_fingerprint` tells whether a unit changed, and `read_unit` turns a unit
into `RawRecord`s and `QuarantineRecord`s without ever raising.
"""

from .fingerprint import unit_fingerprint
from .limits import IngestLimits
from .read import read_unit
from .scan import scan_raw_folder
from .units import IngestUnit, group_units

__all__ = [
    "IngestLimits",
    "IngestUnit",
    "group_units",
    "read_unit",
    "scan_raw_folder",
    "unit_fingerprint",
]
