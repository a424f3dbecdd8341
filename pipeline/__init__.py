"""news-etl domain library: ingest, clean, nlp, figures, entities, warehouse.

No Dagster imports here: the Dagster code location in `assets/` calls into this package.
"""

import hashlib
import os

# How HTML pages are extracted (`clean.consensus.ExtractionSettings`): "fast", trafilatura checked
# against boilerpy3 with a vote only where it may have missed text (the default, about 25 pages/s
# on one core), or "vote", four extractors vote on every page (about 10 pages/s; more precise on
# news pages with older markup). Read once, here, so every process of a run uses one mode and the
# mode is part of the version below: switching it makes the next run read every article again.
ENV_HTML_EXTRACTION = "NEWS_HTML_EXTRACTION"
HTML_EXTRACTION_MODES = ("fast", "vote")
HTML_EXTRACTION = (os.environ.get(ENV_HTML_EXTRACTION) or "fast").strip().lower()
if HTML_EXTRACTION not in HTML_EXTRACTION_MODES:
    raise ValueError(
        f"{ENV_HTML_EXTRACTION}={os.environ.get(ENV_HTML_EXTRACTION)!r}: expected one of {', '.join(HTML_EXTRACTION_MODES)}"
    )

# The coding scheme for vague and implicit counts (`figures/data/schemes/`): a shipped name
# ("default", "isaf") or the path of a scheme file in the same format. Read once, here, for the
# same reason; a scheme file enters the version by its content's hash.
ENV_CODING_SCHEME = "NEWS_CODING_SCHEME"
CODING_SCHEMES = ("default", "isaf")
CODING_SCHEME = (os.environ.get(ENV_CODING_SCHEME) or "default").strip()


def _scheme_tag(scheme: str) -> str:
    if scheme == "default":
        return ""
    if scheme in CODING_SCHEMES:
        return f"+{scheme}"
    try:
        with open(scheme, "rb") as handle:
            return "+scheme-" + hashlib.sha256(handle.read()).hexdigest()[:8]
    except OSError as exc:
        raise ValueError(
            f"{ENV_CODING_SCHEME}={scheme!r}: neither a shipped scheme ({', '.join(CODING_SCHEMES)}) nor a readable file ({exc})"
        ) from None


# Bump when a change alters what the pipeline writes for the same input; every
# article written by an older version is reprocessed on the next run.
PIPELINE_VERSION = "0.3.2" + ("" if HTML_EXTRACTION == "fast" else f"+{HTML_EXTRACTION}") + _scheme_tag(CODING_SCHEME)
