"""Gunzip with a cap on the decompressed size, so a gzip bomb costs little memory."""

from __future__ import annotations

import zlib

_GZIP_MAGIC = b"\x1f\x8b"
_OUTPUT_STEP = 1 << 16  # bytes inflated per call; bounds memory past the cap


class GzipTooLarge(Exception):
    """The decompressed data would exceed the cap."""


class GzipCorrupt(Exception):
    """The gzip stream is truncated, corrupt or followed by junk."""


def gunzip_capped(data: bytes, max_bytes: int) -> bytes:
    """Decompress gzip `data` (all members), refusing to produce more than `max_bytes`.

    Inflates in small steps with `max_length`, so at most `max_bytes` plus one
    step is ever held in memory. Raises `GzipTooLarge` or `GzipCorrupt`.
    """
    chunks: list[bytes] = []
    total = 0
    pending = data
    while True:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        while not inflater.eof:
            try:
                piece = inflater.decompress(pending, _OUTPUT_STEP)
            except zlib.error as exc:
                raise GzipCorrupt(str(exc)) from None
            total += len(piece)
            if total > max_bytes:
                raise GzipTooLarge(f"more than {max_bytes} bytes")
            chunks.append(piece)
            pending = inflater.unconsumed_tail
            # No input left and no output held back by max_length: the stream ended early.
            if not pending and len(piece) < _OUTPUT_STEP and not inflater.eof:
                raise GzipCorrupt("the file ends before the end of the compressed data")
        rest = inflater.unused_data
        if not rest.strip(b"\0"):  # zero padding after the last member is harmless
            break
        if not rest.startswith(_GZIP_MAGIC):
            raise GzipCorrupt("unexpected data after the end of the compressed data")
        pending = rest  # concatenated gzip members decompress to concatenated data
    return b"".join(chunks)
