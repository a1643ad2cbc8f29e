from shareimg.consumer.stats import StreamStats

MS = 1_000_000


def test_fps_drops_and_latency():
    stats = StreamStats()
    start = stats._since_ns
    for generation in (1, 2, 3, 6, 7):  # 4 and 5 never shown
        now = start + generation * 100 * MS
        stats.record(generation, now - 5 * MS, now)
    assert stats.dropped == 2
    assert stats.latency_ms == 5.0
    assert stats.fps == 5.0  # all within the last second
    stats.record(8, start + 2000 * MS, start + 2000 * MS + 3 * MS)
    assert stats.fps == 1.0  # the older ones slid out of the window
    assert stats.latency_ms == 3.0


def test_an_image_older_than_the_watch_has_no_latency():
    stats = StreamStats()
    stats.record(1, stats._since_ns - 500 * MS, stats._since_ns + MS)
    assert stats.latency_ms is None


def test_a_new_provider_restarting_generations_is_not_a_drop():
    stats = StreamStats()
    t = stats._since_ns
    stats.record(50, t + MS, t + 2 * MS)
    stats.record(1, t + 3 * MS, t + 4 * MS)
    stats.record(2, t + 5 * MS, t + 6 * MS)
    assert stats.dropped == 0
