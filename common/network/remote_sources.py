"""The sources other machines send: who is there (liveliness tokens) and what each is (its details).

A token exists exactly while its sender runs and is reachable: one killed
leaves every listing as soon as its connection closes (or its 2 s lease runs
out, when its machine vanished).  Tokens carry no data, so each source's
details are asked of it; a source whose details do not answer in time is
listed with what its name says.  A listing asks anew each time: nothing here
can go stale.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from shareimg.network.session import open_session
from shareimg.wire import network_layout as wire


@dataclass(frozen=True)
class RemoteSource:
    """One source another machine sends, as its details say."""

    host: str
    key: str
    title: str
    width: int
    height: int
    codec: str  # on the network: jpeg, png or raw
    quality: int
    fps: float
    pid: int  # the providing process, on its machine

    @property
    def name(self) -> str:
        """``HOST/KEY``: what ``receive`` takes."""
        return wire.source_name(self.host, self.key)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, **asdict(self)}


class NetworkSources:
    """A zenoh session that lists the sources it can reach through ``connect`` (and ``listen``); close it."""

    def __init__(
        self, connect: Sequence[str] = (), listen: Sequence[str] = (), zenoh_config: str | Path | None = None
    ) -> None:
        self._session = open_session(listen, connect, zenoh_config)

    def __enter__(self) -> NetworkSources:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    @property
    def peers(self) -> int:
        """How many peers this session is connected to now."""
        return len(self._session.info.peers_zid())

    def wait_for_peer(self, timeout: float) -> bool:
        """Wait until connected to a peer (zenoh connects in the background); True if it is."""
        deadline = time.monotonic() + timeout
        while not self.peers and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.peers > 0

    def list(self, timeout: float = 1.0) -> list[RemoteSource]:
        """Every source whose token is live now, sorted by name."""
        live = set()
        for reply in self._session.liveliness().get(wire.ALL_SOURCES, timeout=timeout):
            sample = reply.ok
            named = wire.name_of(str(sample.key_expr)) if sample is not None else None
            if named is not None:
                live.add(named)
        if not live:
            return []
        details: dict[tuple[str, str], dict[str, Any]] = {}
        for reply in self._session.get(wire.ALL_DETAILS, timeout=timeout):
            sample = reply.ok
            named = wire.name_of(str(sample.key_expr)) if sample is not None else None
            if sample is None or named not in live:
                continue
            try:
                fields = wire.unpack_details(sample.payload.to_bytes())
            except (ValueError, UnicodeDecodeError):
                continue  # a peer's nonsense: listed by its name only
            if (fields["host"], fields["key"]) == named:
                details[named] = fields
        return [_source(host, key, details.get((host, key))) for host, key in sorted(live)]


def _source(host: str, key: str, fields: dict[str, Any] | None) -> RemoteSource:
    if fields is None:
        return RemoteSource(host, key, key, 0, 0, "", 0, 0.0, 0)
    return RemoteSource(
        host, key, fields["title"], fields["width"], fields["height"], fields["codec"], fields["quality"],
        fields["fps"], fields["pid"],
    )  # fmt: skip


def network_sources(
    connect: Sequence[str] = (), listen: Sequence[str] = (), zenoh_config: str | Path | None = None,
    timeout: float = 1.0,
) -> list[RemoteSource]:  # fmt: skip
    """The sources reachable through ``connect`` now, in one call (a session opened and closed for it)."""
    with NetworkSources(connect, listen, zenoh_config) as found:
        if connect:
            found.wait_for_peer(timeout)
        return found.list(timeout)
