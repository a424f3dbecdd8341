"""news-etl domain library: ingest, clean, nlp, figures, entities, warehouse.

No Dagster imports here: the Dagster code location in `assets/` calls into this package.
"""

# Bump when a change alters what the pipeline writes for the same input; every
# article written by an older version is reprocessed on the next run.
PIPELINE_VERSION = "0.3.2"
