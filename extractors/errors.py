"""The one exception an extractor raises on purpose: the input itself is bad."""

from __future__ import annotations

from typing import Literal

RejectReason = Literal[
    "empty",
    "binary",
    "undecodable",
    "too_large",
    "no_content",
    "parse_error",
    "duplicate",
    "unreadable",
    "vanished",
    "symlink_outside",
    "bad_name",
    "gzip_bomb",
    "extractor_error",  # not the input's fault: a bug met on it, quarantined so the run goes on
]


class BadInput(Exception):
    """Raised for inputs that cannot become a document; flows turn it into a `rejects` row."""

    def __init__(self, reason: RejectReason, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason: RejectReason = reason
        self.detail = detail
