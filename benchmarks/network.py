"""The network bridge beside the two peers a user would otherwise write, in one run (issue 25).

    make bench ARGS=--network                 # about 7 minutes on 2 cores
    make bench ARGS="--network --quick"       # shorter windows (the slow link: 10 s, not 20 s), one round
    make bench ARGS="--network --paired 4"    # the paced cases in 4 rounds
    .venv/bin/python benchmarks/bench.py --network --json out.json

The bridge is measured as a user runs it, every part a process of its own: a
provider sharing raw frames under key A (Publisher.frame()), ``shareimg-bridge
send --key A``, ``shareimg-bridge receive HOST/A --key B`` and a Watcher on B.
Its latency is frame.latency_ms on B: from the provider's publish (before it
writes the slot) to the frame readable on the receiving side, because the
receiver keeps the source's publish time.  The peers (network_peers.py) encode
the same frames with the same settings and measure from before the encode to
after the decode into their buffer.  "Sending side" and "receiving side" are
the processes on each machine: the bridge's sender side also holds the
provider, its receiver side the watcher, each given apart.

Each case: the peers started, 2 s to warm up, then a window of seconds in
which frames readable, latency, TCP bytes sent by the sender's socket (ss)
and CPU (/proc/PID/task/*/schedstat, every thread) are counted.  The peers
run one after another, which goes first turning from case to case.  On a
shared machine a run's latency moves by 10 % and more from one run to the
next, more than the peers differ at 30 fps: the paced cases run in rounds
(``--paired N``; 2 by default, 1 with ``--quick``) and the tables give each
figure's median over the rounds, each round's bridge-minus-zenoh median beside.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from network_links import CpuWindow, Process, Processes, bytes_sent, free_port, set_link, slow_link  # noqa: E402

SIZES = {"1080p": (1920, 1080), "4K": (3840, 2160)}
PEERS = ["bridge", "zenoh", "zmq"]
LABELS = {"bridge": "shareimg-bridge", "zenoh": "bare zenoh", "zmq": "pyzmq PUB/SUB"}
HOST = "benchhost"
WARM_SECONDS = 2.0
# Flat out: the peers encode as fast as they can; the bridge's provider offers this much more than bare zenoh
# carried just before, so that the bridge has more than it can carry.  A provider offering far more only takes
# the CPU the bridge needs: offered 240 fps, the provider took 0.3 core and the bridge carried 65 fps.
FLAT_OUT_OFFER = 1.25
SLOW_OFFER = 60  # frames a second offered on the 100 Mbit/s link: about 110 Mbit/s of JPEG
LINK_DOWN_SECONDS = 5.0


@dataclass
class Case:
    """The peers of one case, running: who to ask for frames, whose CPU to read."""

    port: int
    receivers: list[Process]
    keys: list[str] = field(default_factory=list)  # the bridge's: one watcher reads every local key
    cpu: dict[str, Process] = field(default_factory=dict)

    def frames(self) -> list[list[list[float]]]:
        if self.keys:
            seen = self.receivers[0].result()
            return [seen[key] for key in self.keys]
        return [receiver.result() for receiver in self.receivers]


def start(peer: str, procs: Processes, size: str, fps: float, receivers: int = 1) -> Case:
    width, height = SIZES[size]
    port = free_port()
    endpoint = f"tcp/127.0.0.1:{port}"
    if peer != "bridge":
        pub = procs.peer(f"{peer}-pub", endpoint, width, height, fps)
        subs = [procs.peer(f"{peer}-sub", endpoint, width, height) for _ in range(receivers)]
        return Case(port, subs, cpu={"sender": pub, **receiving(subs)})
    run = f"benchnet-{secrets.token_hex(3)}"
    key, locals_ = f"{run}-a", [f"{run}-b{i}" for i in range(receivers)]
    watch = procs.peer("watch", *locals_, netns=False)
    source = procs.peer("source", key, width, height, fps, netns=False)
    send = procs.bridge("send", "--key", key, "--name", HOST, "--listen", endpoint, ready="sending")
    receive = [
        procs.bridge("receive", f"{HOST}/{key}", "--key", local, "--connect", endpoint, ready="receiving")
        for local in locals_
    ]
    return Case(port, [watch], locals_, {"provider": source, "sender": send, **receiving(receive), "watcher": watch})


def receiving(processes: list[Process]) -> dict[str, Process]:
    """The receiving processes by the names the tables use: ``receiver``, then ``receiver 2``..."""
    return {"receiver" + (f" {i + 1}" if i else ""): process for i, process in enumerate(processes)}


def figures(frames: list[list[float]], started: float, ended: float) -> dict:
    inside = [f for f in frames if started <= f[0] < ended]
    latencies = sorted(f[1] for f in inside)
    if not latencies:
        return {"fps": 0.0, "median_ms": None, "p99_ms": None}

    def median_between(a: float, b: float) -> float | None:
        part = [f[1] for f in inside if a <= f[0] < b]
        return statistics.median(part) if part else None

    return {
        "fps": len(inside) / (ended - started),
        "median_ms": statistics.median(latencies),
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "first5_median_ms": median_between(started, started + 5),
        "last5_median_ms": median_between(ended - 5, ended),
        "frames": len(inside),
    }


def measure(peer: str, size: str, fps: float, seconds: float, receivers: int = 1, netns: str | None = None,
            link_down: bool = False) -> dict:  # fmt: skip
    """One peer, one case: its figures over ``seconds`` after the warm-up (and the link taken down after)."""
    with Processes(netns) as procs:
        case = start(peer, procs, size, fps, receivers)
        time.sleep(WARM_SECONDS)
        cpu = CpuWindow(case.cpu)
        cpu.start()
        sent_before, started = bytes_sent(case.port, netns), time.monotonic()
        time.sleep(seconds)
        ended, sent = time.monotonic(), bytes_sent(case.port, netns) - sent_before
        used = cpu.end()
        came_back = went_down = None
        if link_down:
            set_link(netns, up=False)
            went_down = time.monotonic()
            time.sleep(LINK_DOWN_SECONDS)
            set_link(netns, up=True)
            came_back = time.monotonic()
            time.sleep(4.0)
        every = case.frames()
    rows = [figures(frames, started, ended) for frames in every]
    result = {"peer": peer, "size": size, "offered_fps": fps, **rows[0], "cpu": used}
    result["bytes_per_frame"] = sent / rows[0]["frames"] if rows[0].get("frames") else None
    if receivers > 1:
        result["receivers_fps"] = [row["fps"] for row in rows]
    if came_back is not None:
        after = [f[0] for f in every[0] if f[0] > came_back]
        result["resumed_s"] = min(after) - came_back if after else None
        # Frames readable while the link was down (after the last one in flight): none, if it was down.
        result["while_down"] = sum(went_down + 0.5 < f[0] < came_back for f in every[0])
    return result


def in_turn(peers: list[str], turn: int) -> list[str]:
    """The peers, the first moved to the end every other case: no peer always runs first."""
    return peers if turn % 2 == 0 else peers[1:] + peers[:1]


def sender_killed() -> float | None:
    """Seconds from SIGKILL of ``shareimg-bridge send`` until its source leaves NetworkSources.list()."""
    from shareimg.network.remote_sources import NetworkSources

    port = free_port()
    endpoint = f"tcp/127.0.0.1:{port}"
    key = f"benchnet-{secrets.token_hex(3)}-k"
    with Processes() as procs, NetworkSources(connect=[endpoint]) as listing:
        procs.peer("source", key, 640, 480, 30)
        send = procs.bridge("send", "--key", key, "--name", HOST, "--listen", endpoint, ready="sending")
        name = f"{HOST}/{key}"
        deadline = time.monotonic() + 15
        while name not in {s.name for s in listing.list(0.5)}:
            if time.monotonic() > deadline:
                return None
            time.sleep(0.1)
        send.popen.kill()
        killed = time.monotonic()
        while name in {s.name for s in listing.list(0.2)}:
            if time.monotonic() - killed > 15:
                return None
        return time.monotonic() - killed


def namespaces_possible() -> str | None:
    """None if this process can make network namespaces, else why not."""
    if os.geteuid() != 0:
        return "not root: no network namespace for the 100 Mbit/s link"
    for tool in ("ip", "tc"):
        if subprocess.run(["which", tool], capture_output=True).returncode:
            return f"no '{tool}' (iproute2) for the 100 Mbit/s link"
    return None


def combined(rounds: list[dict]) -> dict:
    """One peer's rounds of a case as one row: the median of each figure."""

    def median(values: list) -> float | None:
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    row = {**rounds[0], "rounds": len(rounds)}
    for name, value in rounds[0].items():
        if isinstance(value, float) or value is None:
            row[name] = median([r[name] for r in rounds])
    row["cpu"] = {name: median([r["cpu"][name] for r in rounds]) for name in rounds[0]["cpu"]}
    return row


def run(quick: bool, rounds: int | None = None) -> dict:
    seconds, slow_seconds = (5.0, 10.0) if quick else (10.0, 20.0)
    rounds = rounds or (1 if quick else 2)
    result: dict = {"seconds": seconds, "slow_seconds": slow_seconds, "rounds": rounds, "flat_out": [], "eight": []}
    every: list[dict] = []
    turn = 0
    for size in SIZES:
        for _ in range(rounds):
            every += [measure(peer, size, 30, seconds) for peer in in_turn(PEERS, turn)]
            turn += 1
    result["paced_rounds"] = every
    result["paced"] = [
        combined([row for row in every if (row["peer"], row["size"]) == (peer, size)])
        for size in SIZES
        for peer in PEERS
    ]
    for peer in ["zenoh", "bridge", "zmq"]:  # the bridge's offer follows bare zenoh's rate
        zenoh = result["flat_out"][0]["fps"] if result["flat_out"] else 0
        offer = max(60, round(FLAT_OUT_OFFER * zenoh)) if peer == "bridge" else 0
        result["flat_out"].append(measure(peer, "1080p", offer, seconds))
    turn += 1
    for peer in in_turn(PEERS, turn):
        result["eight"].append(measure(peer, "1080p", 30, seconds, receivers=8))
    turn += 1
    result["slow_skipped"] = namespaces_possible()
    result["slow"] = []
    if result["slow_skipped"] is None:
        try:
            for peer in in_turn(PEERS, turn):
                with slow_link() as netns:
                    result["slow"].append(measure(peer, "1080p", SLOW_OFFER, slow_seconds, netns=netns, link_down=True))
        except subprocess.CalledProcessError as error:  # no namespaces here (a container), or no tbf
            result["slow"], result["slow_skipped"] = [], f"the 100 Mbit/s link could not be made: {error}"
    result["killed_s"] = sender_killed()
    return result


def main(quick: bool = False, json_path: str | None = None, rounds: int | None = None) -> int:
    from network_report import print_network

    started = time.monotonic()
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    try:
        result = run(quick, rounds)
    finally:
        from shareimg.transport.segment import sweep

        left = sweep("benchnet")  # every process was stopped: anything left under our keys is a fault
        if left:
            print(f"reclaimed {left} keys a stopped process left behind")
    result["load"] = {"before": load_before, "after": Path("/proc/loadavg").read_text().split()[:3]}
    result["machine"] = {"cpu_count": os.cpu_count(), "kernel": platform.release(), "python": platform.python_version()}
    print_network(result)
    print(f"\n(network benchmark took {time.monotonic() - started:.0f} s)")
    if json_path:
        Path(json_path).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main("--quick" in sys.argv))
