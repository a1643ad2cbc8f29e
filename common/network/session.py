"""One zenoh peer session, configured so that nothing leaves the machine but what the user asked for.

zenoh's own peer defaults listen on every interface (``tcp/[::]:0``), look for
peers by UDP multicast, gossip about the peers they know and map a shared-memory
side channel.  Here a session binds exactly the ``listen`` endpoints (none
unless given), connects exactly to the ``connect`` ones, and does none of the
rest.  A short lease (2 s) notices a dead link soon, so frames resume within a
second of it coming back; a small TCP send buffer keeps a slow link from
queueing frames in the kernel.  A ``--zenoh-config`` file is zenoh's own
configuration (TLS, access control, routers): each value it sets is kept, ours
replace only zenoh's defaults, and ``listen``/``connect`` given here win.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from shareimg.errors import NetworkFailure
from shareimg.wire.limits import LIMITS

#: Where ``send`` listens, and ``receive HOST/K`` connects, when told nothing else.
DEFAULT_PORT = 7447

INSTALL_HINT = "pip install 'shareimg[network]'"


def zenoh_module() -> Any:
    """zenoh, imported when first used: the default install has no network at all."""
    try:
        import zenoh
    except ImportError:
        raise NetworkFailure(f"the network bridge needs zenoh, which is not installed: {INSTALL_HINT}") from None
    return zenoh


def _our_defaults() -> dict[str, Any]:
    return {
        "mode": "peer",
        "scouting/multicast/enabled": False,
        "scouting/gossip/enabled": False,
        "transport/shared_memory/enabled": False,
        "transport/link/tx/lease": 2000,
        "transport/link/tx/keep_alive": 4,
        # A connect attempt made while the link is down waits in SYN-SENT for the kernel's next resend
        # (a second, then longer): given up after 1 s, a fresh attempt follows, and frames resume within
        # a second of the link coming back.  A slower handshake (a very distant peer) sets it higher.
        "transport/unicast/open_timeout": 1000,
        "transport/link/tcp/so_sndbuf": 262144,
        # zenoh's first guard against a hostile peer: nothing larger than the largest image we accept.
        "transport/link/rx/max_message_size": (LIMITS.max_megabytes << 20) + (1 << 20),
        # A peer not up yet is tried again soon: receive may start before send, a link come back.
        "connect/retry": {"period_init_ms": 200, "period_max_ms": 500, "period_increase_factor": 1.5},
    }


def config(listen: Sequence[str] = (), connect: Sequence[str] = (), config_file: str | Path | None = None) -> Any:
    """The zenoh configuration of one session (see the module's docstring)."""
    zenoh = zenoh_module()
    defaults = zenoh.Config()
    try:
        conf = zenoh.Config.from_file(str(config_file)) if config_file is not None else zenoh.Config()
    except (zenoh.ZError, OSError, ValueError) as error:
        raise NetworkFailure(f"cannot use the zenoh configuration '{config_file}': {_one_line(error)}") from None
    for name, value in _our_defaults().items():
        if conf.get_json(name) == defaults.get_json(name):
            conf.insert_json5(name, json.dumps(value))
    # Listen only where asked: written always, because left unset a peer listens on every interface.
    if listen or config_file is None or conf.get_json("listen/endpoints") == defaults.get_json("listen/endpoints"):
        _set_endpoints(conf, "listen", listen)
    if connect:
        _set_endpoints(conf, "connect", connect)
    return conf


def _set_endpoints(conf: Any, side: str, endpoints: Sequence[str]) -> None:
    """zenoh checks an endpoint's form here: one it refuses is a NetworkFailure, as at :func:`open_session`."""
    try:
        conf.insert_json5(f"{side}/endpoints", json.dumps(list(endpoints)))
    except zenoh_module().ZError:
        raise NetworkFailure(
            f"zenoh refused the {side} endpoint(s) {', '.join(endpoints)}: "
            f"write one as PROTOCOL/ADDRESS:PORT, e.g. tcp/192.168.1.5:{DEFAULT_PORT}"
        ) from None


def open_session(listen: Sequence[str] = (), connect: Sequence[str] = (), config_file: str | Path | None = None) -> Any:
    """A zenoh session; :class:`NetworkFailure` naming the endpoint or setting zenoh refused."""
    zenoh = zenoh_module()
    conf = config(listen, connect, config_file)
    try:
        return zenoh.open(conf)
    except zenoh.ZError as error:
        where = ", ".join([*(f"listen {e}" for e in listen), *(f"connect {e}" for e in connect)]) or "no endpoint"
        hint = " (another program may listen there: choose another port)" if "ddress" in str(error) else ""
        raise NetworkFailure(f"zenoh could not start with {where}: {_one_line(error)}{hint}") from None


def _one_line(error: BaseException) -> str:
    """zenoh's message on one line: its parser's drawing (the source line, a caret) and Rust paths left out."""
    lines = [line.strip() for line in str(error).splitlines()]
    kept = [line.lstrip("= ") for line in lines if line and not re.match(r"(\d+ )?\||\^", line)]
    text = re.sub(r" at /\S+\.rs:\d+", "", " ".join(kept))
    text = re.sub(r"#[\w=;.]+", "", text)  # an endpoint's own settings, ours
    text = re.sub(r"^--> (\d+):(\d+)", r"line \1, column \2:", text).strip()
    return text or type(error).__name__
