"""shareimg-consumer --list: the live sources, one line each or as JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from shareimg.discovery.sources import Source, sources


def source_line(source: Source) -> str:
    """``source key=K title="T" width=W height=H codec=C fps=F pid=P announced=yes|no``."""
    return (
        f"source key={source.key} title={json.dumps(source.title, ensure_ascii=False)} "
        f"width={source.width} height={source.height} codec={source.codec} fps={source.fps:.1f} "
        f"pid={source.pid} announced={'yes' if source.announced else 'no'}"
    )


def source_fields(source: Source) -> dict:
    """The source as JSON gives it: fps to 0.1, as the line says it (more digits are noise of the sampling)."""
    return {**source.as_dict(), "fps": round(source.fps, 1)}


def print_sources(prog: str, as_json: bool, network: Sequence[str] | None = None) -> int:
    """Print every live source, sorted by key; with ``network`` (endpoints, maybe none) also the remote ones,
    sorted by name.  With none, say so on stderr (JSON: ``[]``).  Exit code 0."""
    found = sources()
    remote = []
    if network is not None:
        from shareimg.consumer.network_listing import remote_fields, remote_line, remote_sources

        remote = remote_sources(prog, network)
    if as_json:
        fields = [source_fields(source) for source in found] + [remote_fields(source) for source in remote]
        print(json.dumps(fields, ensure_ascii=False, indent=2), flush=True)
        return 0
    for line in [source_line(source) for source in found] + [remote_line(source) for source in remote]:
        print(line, flush=True)
    if not found and not remote:
        print(f"{prog}: no source is sharing now", file=sys.stderr, flush=True)
    return 0
