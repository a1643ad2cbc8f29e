"""The tables of benchmarks/network.py, and issue 25's targets met or not."""

from __future__ import annotations

from network import FLAT_OUT_OFFER, HOST, LABELS, LINK_DOWN_SECONDS, SLOW_OFFER


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _ratio(row: dict, rows: list[dict], field: str) -> str:
    """`` (1.10x zenoh)`` beside a bridge figure: the bare-zenoh peer's of the same case."""
    zenoh = next((r for r in rows if r["peer"] == "zenoh" and r["size"] == row["size"]), None)
    if row["peer"] != "bridge" or zenoh is None or not zenoh.get(field) or row.get(field) is None:
        return ""
    return f" ({row[field] / zenoh[field]:.2f}x)"


def _cpu(row: dict) -> tuple[str, str]:
    cpu = row["cpu"]
    if row["peer"] == "bridge":
        return (f"send {cpu['sender']:.2f} + provider {cpu['provider']:.2f}",
                f"receive {cpu['receiver']:.2f} + watcher {cpu['watcher']:.2f}")  # fmt: skip
    return f"{cpu['sender']:.2f}", f"{cpu['receiver']:.2f}"


def _table(rows: list[dict], slow: bool = False) -> None:
    extra = (
        " | first 5 s median ms | last 5 s median ms | frames while down | first frame after link up s" if slow else ""
    )
    print(f"| size | peer | offered fps | delivered fps | median ms | p99 ms | TCP bytes per frame delivered "
          f"| CPU sending side | CPU receiving side{extra} |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---|---" + ("|---:|---:|---:|---:|" if slow else "|"))
    for row in rows:
        offered = "flat out" if row["offered_fps"] == 0 else f"{row['offered_fps']:g}"
        sending, receiving = _cpu(row)
        size = "–" if row["bytes_per_frame"] is None else f"{row['bytes_per_frame'] / 1000:.0f} kB"
        line = (
            f"| {row['size']} | {LABELS[row['peer']]} | {offered} | {row['fps']:.1f}{_ratio(row, rows, 'fps')} | "
            f"{_ms(row['median_ms'])}{_ratio(row, rows, 'median_ms')} | {_ms(row['p99_ms'])}"
            f"{_ratio(row, rows, 'p99_ms')} | {size} | {sending} | {receiving} |"
        )
        if slow:
            resumed = "–" if row.get("resumed_s") is None else f"{row['resumed_s']:.2f}"
            line += (
                f" {_ms(row['first5_median_ms'])} | {_ms(row['last5_median_ms'])} | {row['while_down']} | {resumed} |"
            )
        print(line)


def targets(result: dict) -> list[tuple[str, str, bool]]:
    """(target, what was measured, met) for each of issue 25's targets."""

    def row(rows: list[dict], peer: str, size: str = "1080p") -> dict:
        return next(r for r in rows if r["peer"] == peer and r["size"] == size)

    paced = result["paced"]
    bridge, zenoh = row(paced, "bridge"), row(paced, "zenoh")
    k4 = row(paced, "bridge", "4K")
    flat_b, flat_z = row(result["flat_out"], "bridge"), row(result["flat_out"], "zenoh")
    eight = row(result["eight"], "bridge")["receivers_fps"]
    out = [
        ("1080p30: 30 fps delivered", f"{bridge['fps']:.1f} fps", bridge["fps"] >= 29.5),
        ("1080p30: median within 3 ms of bare zenoh",
         f"{bridge['median_ms']:.1f} vs {zenoh['median_ms']:.1f} ms ({bridge['median_ms'] - zenoh['median_ms']:+.1f})",
         bridge["median_ms"] <= zenoh["median_ms"] + 3),
        ("1080p30: p99 under twice the median", f"p99 {bridge['p99_ms']:.1f}, median {bridge['median_ms']:.1f} ms",
         bridge["p99_ms"] < 2 * bridge["median_ms"]),
        ("flat out: at least 0.9x bare zenoh's fps",
         f"{flat_b['fps']:.1f} vs {flat_z['fps']:.1f} fps ({flat_b['fps'] / flat_z['fps']:.2f}x)",
         flat_b["fps"] >= 0.9 * flat_z["fps"]),
        ("4K30: 30 fps delivered, median under 50 ms", f"{k4['fps']:.1f} fps, median {k4['median_ms']:.1f} ms",
         k4["fps"] >= 29.5 and k4["median_ms"] < 50),
        ("1 sender, 8 receivers, 1080p30: every receiver at least 29 fps",
         f"{min(eight):.1f} to {max(eight):.1f} fps", min(eight) >= 29),
        ("CPU at 1080p30: at most half a core per side (send; receive)",
         f"{bridge['cpu']['sender']:.2f}; {bridge['cpu']['receiver']:.2f} core",
         max(bridge["cpu"]["sender"], bridge["cpu"]["receiver"]) <= 0.5),
    ]  # fmt: skip
    if result["slow"]:
        slow = row(result["slow"], "bridge")
        first, last, resumed = slow["first5_median_ms"], slow["last5_median_ms"], slow.get("resumed_s")
        out += [
            (f"100 Mbit/s, {SLOW_OFFER} fps offered: frames drop, p99 under 150 ms over {result['slow_seconds']:g} s",
             f"{slow['fps']:.1f} fps delivered, p99 {slow['p99_ms']:.1f} ms",
             slow["fps"] < SLOW_OFFER - 1 and slow["p99_ms"] < 150),
            ("100 Mbit/s: the last 5 s no slower than the first 5 s (medians, 10 % noise allowed)",
             f"{first:.1f} then {last:.1f} ms", last <= 1.1 * first),
            (f"link down {LINK_DOWN_SECONDS:g} s: frames again within 1 s of it coming up",
             "none" if resumed is None else f"{resumed:.2f} s", resumed is not None and resumed <= 1.0),
        ]  # fmt: skip
    killed = result["killed_s"]
    out.append(("sender SIGKILLed: its source leaves the listing within 3 s", f"{_ms(killed)} s",
                killed is not None and killed <= 3))  # fmt: skip
    return out


def print_network(result: dict) -> None:
    load = result["load"]
    print(f"\nAcross machines (Eclipse Zenoh), two peers on loopback; load average {' '.join(load['before'])} "
          f"before, {' '.join(load['after'])} after; {result['machine']['cpu_count']} cores")  # fmt: skip
    print(f"Bridge: provider (Publisher.frame(), raw) -> shareimg-bridge send --key A -> shareimg-bridge receive "
          f"{HOST}/A --key B -> Watcher on B.  Peers: simplejpeg q85 4:2:0, RGBA.  "
          "(N.NNx) = bridge / bare zenoh.")  # fmt: skip
    print(f"\nPaced, over {result['seconds']:g} s; each figure the median of {result['rounds']} rounds:\n")
    _table(result["paced"])
    for size in {row["size"]: None for row in result["paced_rounds"]}:
        medians = {peer: [r["median_ms"] for r in result["paced_rounds"] if (r["peer"], r["size"]) == (peer, size)]
                   for peer in ("bridge", "zenoh")}  # fmt: skip
        gaps = ", ".join(
            f"{b - z:+.1f}" for b, z in zip(*medians.values(), strict=True) if b is not None and z is not None
        )
        print(f"\n{size}: the bridge's median minus bare zenoh's, round by round: {gaps} ms")
    print(f"\nFlat out, 1080p (the peers encode as fast as they can; the bridge's provider offers {FLAT_OUT_OFFER:g}x "
          "the fps bare zenoh carried just before):\n")  # fmt: skip
    _table(result["flat_out"])
    print("\nOne sender, eight receivers, 1080p30 (each receiver's delivered fps):\n")
    print("| peer | receivers' fps | median ms (first receiver) | p99 ms (first receiver) | CPU sending side "
          "| CPU of the 8 receivers (sum) |")  # fmt: skip
    print("|---|---|---:|---:|---|---:|")
    for row in result["eight"]:
        fps = " ".join(f"{fps:.1f}" for fps in row["receivers_fps"])
        receivers = sum(cpu for name, cpu in row["cpu"].items() if name.startswith("receiver"))
        print(f"| {LABELS[row['peer']]} | {fps} | {_ms(row['median_ms'])} | {_ms(row['p99_ms'])} | {_cpu(row)[0]} "
              f"| {receivers:.2f} |")  # fmt: skip
    if result["slow"]:
        print(f"\n100 Mbit/s link (netns, lo + tc tbf rate 100mbit burst 256kb latency 50ms), 1080p, {SLOW_OFFER} fps "
              f"offered, over {result['slow_seconds']:g} s; then the link down {LINK_DOWN_SECONDS:g} s:\n")  # fmt: skip
        _table(result["slow"], slow=True)
    else:
        print(f"\n100 Mbit/s link skipped: {result['slow_skipped']}")
    print(f"\nshareimg-bridge send SIGKILLed: its source left NetworkSources.list() after {_ms(result['killed_s'])} s")
    print("\n| target (issue 25) | measured | |\n|---|---|---|")
    for target, measured, met in targets(result):
        print(f"| {target} | {measured} | {'met' if met else 'NOT MET'} |")
