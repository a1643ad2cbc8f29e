from shareimg.consumer.stats import StreamStats

MS = 1_000_000


def test_fps_drops_and_latency():
    stats = StreamStats()
    start = stats.since_ns
    for generation in (1, 2, 3, 6, 7):  # 4 and 5 never shown
        now = start + generation * 100 * MS
        stats.record(generation, now - 5 * MS, now)
    assert stats.dropped == 2
    assert stats.latency_ms(now) == 5.0
    assert stats.fps(now) == 5.0  # all within the last second
    stats.record(8, start + 2000 * MS, start + 2000 * MS + 3 * MS)
    assert stats.fps(start + 2000 * MS + 3 * MS) == 1.0  # the older ones slid out of the window
    assert stats.latency_ms(start + 2000 * MS + 3 * MS) == 3.0


def test_rate_falls_to_zero_and_latency_goes_when_frames_stop():
    stats = StreamStats()
    start = stats.since_ns
    for generation in range(1, 31):
        stats.record(generation, start + generation * 33 * MS - 4 * MS, start + generation * 33 * MS)
    last = start + 30 * 33 * MS
    assert stats.fps(last) == 30.0 and stats.latency_ms(last) == 4.0
    assert 0 < stats.fps(last + 500 * MS) < 30
    assert stats.fps(last + 1000 * MS) == 0.0
    assert stats.latency_ms(last + 1000 * MS) is None


def test_an_image_older_than_the_watch_has_no_latency():
    stats = StreamStats()
    stats.record(1, stats.since_ns - 500 * MS, stats.since_ns + MS)
    assert stats.latency_ms(stats.since_ns + MS) is None


def test_a_new_provider_restarting_generations_is_not_a_drop():
    stats = StreamStats()
    t = stats.since_ns
    stats.record(50, t + MS, t + 2 * MS)
    stats.record(1, t + 3 * MS, t + 4 * MS)
    stats.record(2, t + 5 * MS, t + 6 * MS)
    assert stats.dropped == 0
