"""common/ over real segments: publish, read, replace, grow, and what other writers leave."""

from __future__ import annotations

import pytest
from foreign import ForeignReader, ForeignSegment
from images import in_format, photo_like, same_pixels
from PySide6.QtGui import QImage

from shareimg import (
    QT,
    RAW,
    InvalidKey,
    KeyInUse,
    NotAnImage,
    NothingShared,
    Publisher,
    read_image,
    read_shared,
    segment_status,
)
from shareimg.transport.keys import key_file


def test_publish_then_read_gives_the_same_pixels(key):
    image = photo_like(120, 80)
    with Publisher(key) as publisher:
        publication = publisher.publish(image)
        shared = read_shared(key)
    assert (publication.width, publication.height, publication.codec) == (120, 80, "qt")
    assert same_pixels(shared.image, image)
    assert shared.codec == "qt"
    assert shared.metadata.generation == publication.generation == 1


def test_segment_is_gone_after_close(key):
    with Publisher(key) as publisher:
        publisher.publish(photo_like())
        assert segment_status(key).attached == 1
        assert key_file(key).exists()
    assert segment_status(key) is None
    assert not key_file(key).exists()
    with pytest.raises(NothingShared, match=key):
        read_image(key)


def test_nothing_shared_names_the_key(key):
    with pytest.raises(NothingShared, match=f"nothing is shared under key '{key}'"):
        read_image(key)


def test_replacing_with_a_larger_image_and_another_codec(key):
    small, large = photo_like(40, 30, seed=1), photo_like(400, 300, seed=2)
    with Publisher(key) as publisher:
        first = publisher.publish(small)
        second = publisher.publish(large, RAW)
        assert second.segment_bytes > first.segment_bytes
        shared = read_shared(key)
        assert shared.codec == "raw"
        assert same_pixels(shared.image, large)
        # Back to one payload at offset 0: the ring's segment is given up for one laid out for qt.
        third = publisher.publish(photo_like(390, 300, seed=3), QT)
        assert read_shared(key).codec == "qt"
        fourth = publisher.publish(photo_like(380, 300, seed=4), QT)
        assert fourth.segment_bytes == third.segment_bytes  # reused: it fits
        assert fourth.generation == 4
        assert same_pixels(read_image(key), photo_like(380, 300, seed=4))


def test_growing_while_a_reader_is_attached(key):
    """A consumer still mapping the old segment must not stop the provider from growing."""
    with Publisher(key) as publisher:
        publisher.publish(photo_like(20, 20))
        reader = ForeignReader(key)
        publisher.publish(photo_like(300, 200, seed=5), RAW)
        assert same_pixels(read_image(key), photo_like(300, 200, seed=5))
        reader.close()


def test_a_segment_written_by_another_qt_program_reads(key):
    image = in_format(QImage.Format.Format_Indexed8)
    stream = bytes(QT.encode(image).payload)
    other = ForeignSegment(key, stream + b"\x00" * 1000)
    try:
        shared = read_shared(key)
    finally:
        other.close()
    assert shared.metadata is None
    assert shared.codec == "qt"
    assert same_pixels(shared.image, image)


@pytest.mark.parametrize(
    "data, error",
    [(b"\x00" * 64, NothingShared), (b"\x00\x00\x00\x01" + b"\x13" * 500, NotAnImage), (b"hello world", NotAnImage)],
    ids=["null-image", "broken-png", "text"],
)
def test_undecodable_segments_give_clear_errors(key, data, error):
    other = ForeignSegment(key, data)
    try:
        with pytest.raises(error, match=f"key '{key}'") as raised:
            read_image(key)
        named, message = raised.value.key, str(raised.value)
        del raised  # its traceback holds the reader's QSharedMemory, which owns a lock file
        assert named == key  # carried as a value: a window words it without parsing the message
        assert message.count(f"'{key}'") == 1
    finally:
        other.close()


def test_a_live_foreign_writer_keeps_its_key(key):
    other = ForeignSegment(key, b"\x00\x00\x00\x00")
    try:
        with Publisher(key) as publisher, pytest.raises(KeyInUse, match="already sharing"):
            publisher.publish(photo_like())
    finally:
        other.close()


@pytest.mark.parametrize("bad", ["", "has space", "x" * 101, "-leading", "semi;colon", "ключ"])
def test_invalid_keys_are_refused(bad):
    with pytest.raises(InvalidKey, match="invalid key|enter a key"):
        Publisher(bad)
    with pytest.raises(InvalidKey):
        read_image(bad)
