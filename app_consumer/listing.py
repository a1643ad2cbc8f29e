"""shareimg-consumer --list: the live sources, one line each or as JSON."""

from __future__ import annotations

import json

from shareimg.common.sources import Source, sources


def source_line(source: Source) -> str:
    """``source key=K title="T" width=W height=H codec=C fps=F pid=P announced=yes|no``."""
    return (
        f"source key={source.key} title={json.dumps(source.title, ensure_ascii=False)} "
        f"width={source.width} height={source.height} codec={source.codec} fps={source.fps:.1f} "
        f"pid={source.pid} announced={'yes' if source.announced else 'no'}"
    )


def print_sources(as_json: bool) -> int:
    """Print every live source, sorted by key; nothing when there is none.  Exit code 0."""
    found = sources()
    if as_json:
        print(json.dumps([source.as_dict() for source in found], ensure_ascii=False, indent=2), flush=True)
    else:
        for source in found:
            print(source_line(source), flush=True)
    return 0
