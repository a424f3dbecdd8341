"""The code location's definitions, one file per kind; `assets.definitions` loads them all.

`stages.py` the assets (one per pipeline stage, and the warehouse tables), `checks.py` the
data-quality checks, `jobs.py` the one job, `sensors.py` and `schedules.py` what starts it,
`resources.py` the settings resource, the IO manager and the executor.
"""
