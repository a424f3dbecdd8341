"""The pipeline's stages after planning, one module each: ingest, clean, annotate.

Each stage is a plain function from the previous stage's records to a result; `pipeline.run`
chains them and `pipeline.publish` writes the last one to the warehouse. The cleaners, spaCy and
the extractors are imported when a stage first needs them, so planning and a no-op run (the
sensor, the Dagster code location) never load them.
"""
