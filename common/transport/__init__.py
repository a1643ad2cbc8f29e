"""Moving images between processes: keys, segments, the lock, the ring and its pins, codecs, publishing and reading."""
