"""shareimg-consumer --list --network: the sources other machines send, reached through --connect.

A remote line is a local line's fields with ``host=`` first and without
``announced=`` (a network source is always announced); JSON gives each as
:meth:`RemoteSource.as_dict` does.  What keeps the list short (no endpoint
given, nobody answering) is said on stderr, once; the exit code stays 0.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from shareimg.network.remote_sources import NetworkSources, RemoteSource
from shareimg.network.session import DEFAULT_PORT

# zenoh connects in the background: how long a listing waits for a peer, then for each answer.
LIST_SECONDS = 1.0


def remote_line(source: RemoteSource) -> str:
    """``source host=H key=K title="T" width=W height=H codec=C fps=F pid=P``."""
    return (
        f"source host={source.host} key={source.key} title={json.dumps(source.title, ensure_ascii=False)} "
        f"width={source.width} height={source.height} codec={source.codec} fps={source.fps:.1f} pid={source.pid}"
    )


def remote_fields(source: RemoteSource) -> dict[str, Any]:
    """As JSON gives it: fps to 0.1, as the line says it."""
    return {**source.as_dict(), "fps": round(source.fps, 1)}


def remote_sources(prog: str, connect: Sequence[str]) -> list[RemoteSource]:
    """The sources sent from the machines at ``connect``; with none given or none answering, say why on stderr.

    Raises :class:`~shareimg.errors.NetworkFailure` when the network extra is
    missing or zenoh refuses an endpoint.
    """
    if not connect:
        print(
            f"{prog}: no network endpoint was given, so only this machine's sources are listed: add "
            f"--connect tcp/HOST:{DEFAULT_PORT} for each machine that runs shareimg-bridge send",
            file=sys.stderr,
            flush=True,
        )
        return []
    with NetworkSources(connect) as network:
        if not network.wait_for_peer(LIST_SECONDS):
            print(
                f"{prog}: nobody answered at {', '.join(connect)}: is shareimg-bridge send running there, "
                "listening on that address?",
                file=sys.stderr,
                flush=True,
            )
            return []
        return network.list(LIST_SECONDS)
