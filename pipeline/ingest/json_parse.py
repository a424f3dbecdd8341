"""Parsing one JSON object with a nesting limit, without recursion."""

from __future__ import annotations

import json
import re
from typing import Any

from pipeline.textsafe import valid_value

from .formats import json_type
from .problems import IngestProblem

# A JSON string literal (with escapes); removed before counting brackets.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
# A \u escape of a surrogate code point; when there is none, no string can hold a lone surrogate
# (the text was decoded strictly), and the parsed record is not walked.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def nesting_exceeds(text: str, max_depth: int) -> bool:
    """True when brackets in `text` (outside strings) nest deeper than `max_depth`.

    A flat loop over the brackets only, stopping at the first level too deep, so
    100,000 nested arrays cost microseconds and never touch the call stack.
    """
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    depth = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            if depth > max_depth:
                return True
        else:
            depth -= 1
    return False


def parse_json_object(text: str, max_depth: int, *, container: str) -> dict[str, Any]:
    """Parse `text` as one JSON object, or raise `IngestProblem("parse_error", ...)`.

    `container` ("json", "jsonl" or "sidecar") says where the text came from,
    for the error sentence. Lone surrogates (`"\\ud800"`) become U+FFFD, so every
    string of the record is valid UTF-8 and the rest of it is kept.
    """
    if nesting_exceeds(text, max_depth):
        raise IngestProblem(
            "parse_error",
            f"is JSON nested more than {max_depth} levels deep",
            "flatten the record (or raise IngestLimits.max_json_depth if it is genuine)",
        )
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestProblem(
            "parse_error",
            f"is not valid JSON ({exc})",
            "fix or re-export it",
        ) from None
    except RecursionError:  # belt and braces: the depth check should have caught it
        raise IngestProblem("parse_error", "is JSON nested too deeply to parse", "flatten the record") from None
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit
        raise IngestProblem("parse_error", f"is not valid JSON ({exc})", "fix or re-export it") from None
    if not isinstance(value, dict):
        expected, advice = _NOT_OBJECT[container]
        raise IngestProblem("parse_error", f"holds {json_type(value)} instead of an object: {expected}", advice)
    return valid_value(value) if _SURROGATE_ESCAPE.search(text) else value


# container -> (what was expected, what to do about it)
_NOT_OBJECT = {
    "json": ("expected one JSON object per .json file", "use .jsonl for many records"),
    "jsonl": ("expected one JSON object per line", "put exactly one JSON object on each line"),
    "sidecar": (
        "a sidecar must be one JSON object",
        "make it one object with url, title, published and publisher",
    ),
}
