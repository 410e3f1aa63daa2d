"""A page-analysis worker: `python -m govsites.monitoring.analysis_worker` (started by analysis).

It reads length-prefixed pickles on stdin (first the AnalysisSettings, then batches of pages) and
answers each batch on stdout; it ends when stdin closes. Only the crawling process that started
it writes to its stdin, so unpickling its messages is safe.
"""

from __future__ import annotations

import os
import pickle
import sys
from typing import BinaryIO


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    chunks = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def main() -> int:
    # the protocol owns stdout; anything a library prints goes to stderr instead
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    stdin = sys.stdin.buffer

    from govsites.monitoring.analysis import _HEADER, PageAnalyser, analyse_batch, frame

    analyser: PageAnalyser | None = None
    while True:
        header = _read_exactly(stdin, _HEADER.size)
        if header is None:
            return 0
        payload = _read_exactly(stdin, _HEADER.unpack(header)[0])
        if payload is None:
            return 0
        message = pickle.loads(payload)
        if analyser is None:
            analyser = PageAnalyser(message)
            continue
        out.write(frame(analyse_batch(analyser, message)))
        out.flush()


if __name__ == "__main__":
    sys.exit(main())
