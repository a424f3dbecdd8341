"""The internal error type that becomes a quarantine row."""

from __future__ import annotations


class IngestProblem(Exception):
    """Why an input could not become an article.

    Helpers raise this; `read_unit` turns it into a `QuarantineRecord`. The
    detail is built as "<subject> <problem>; <advice>." so every row reads as a
    sentence saying what is wrong and what to do about it.
    """

    def __init__(
        self,
        reason: str,
        problem: str,
        advice: str,
        content_sha256: str | None = None,
    ) -> None:
        super().__init__(f"{reason}: {problem}; {advice}")
        self.reason = reason  # one of QUARANTINE_REASONS
        self.problem = problem  # predicate, e.g. "is not valid JSON (...)"
        self.advice = advice  # imperative, e.g. "fix or re-export the file"
        self.content_sha256 = content_sha256  # digest of the bytes on disk, if read

    def detail(self, subject: str) -> str:
        """The full sentence for a quarantine row about `subject`."""
        return f"{subject} {self.problem}; {self.advice}."
