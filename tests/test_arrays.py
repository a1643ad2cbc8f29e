"""numpy arrays in and out, over real segments: every accepted shape and dtype, and OpenCV's BGR order."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from shareimg import QT, RAW, Publisher, Watcher, read_shared

SHAPES = [(30, 41), (30, 41, 3), (30, 41, 4)]  # 41 columns: rows not a multiple of 4 bytes


def _array(shape: tuple[int, ...], dtype: type) -> np.ndarray:
    top = np.iinfo(dtype).max
    return np.random.default_rng(sum(shape)).integers(0, top, shape, dtype=dtype, endpoint=True)


@pytest.mark.parametrize("bgr", [False, True], ids=["rgb", "bgr"])
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16], ids=["uint8", "uint16"])
@pytest.mark.parametrize("shape", SHAPES, ids=["HxW", "HxWx3", "HxWx4"])
def test_round_trip_of_every_accepted_array(key, shape, dtype, bgr):
    array = _array(shape, dtype)
    with Publisher(key, RAW) as publisher, Watcher(key) as watcher:
        publisher.publish(array, bgr=bgr)
        with watcher.next_frame(timeout=5, view=True) as view:
            assert view.pinned
            assert view.array.shape == shape and view.array.dtype == dtype
            assert np.array_equal(view.array, array)
            assert not view.array.flags.writeable  # the slot is the provider's
            kept = view.array.copy()
            image = view.image.copy()
        owned = read_shared(key)
    assert np.array_equal(kept, array)
    assert (image.width(), image.height()) == (41, 30) and (owned.image.width(), owned.image.height()) == (41, 30)
    red = array[7, 9] if len(shape) == 2 else array[7, 9, 2 if bgr else 0]
    for shown in (image, owned.image):  # the colour where Qt expects it, 8-bit values scaled to 16
        assert shown.pixelColor(9, 7).rgba64().red() == int(red) * (257 if dtype == np.uint8 else 1)


@pytest.mark.parametrize("dtype, pixel", [(np.uint8, (10, 20, 30)), (np.uint16, (1000, 20000, 60000))])
def test_bgr_arrays_show_the_right_colours(key, dtype, pixel):
    """OpenCV's B, G, R order: a known pixel comes out as the colour it is, red where red belongs."""
    array = np.zeros((8, 8, 3), dtype)
    array[2, 5] = pixel  # blue, green, red
    with Publisher(key, RAW) as publisher, Watcher(key) as watcher:
        publisher.publish(array, bgr=True)
        frame = watcher.next_frame(timeout=5)
    colour = frame.image.pixelColor(5, 2).rgba64()
    scale = 257 if dtype == np.uint8 else 1
    assert (colour.red(), colour.green(), colour.blue()) == (pixel[2] * scale, pixel[1] * scale, pixel[0] * scale)
    assert frame.channel_order == "BGR" and tuple(frame.array[2, 5]) == pixel


def test_drawing_straight_into_the_slot(key):
    with Publisher(key) as publisher, Watcher(key) as watcher:
        with publisher.frame(20, 30, 4, "uint16") as array:
            assert array.flags.writeable and array.shape == (20, 30, 4)
            array[:] = 0
            array[3, 4] = (100, 200, 300, 65535)
        frame = watcher.next_frame(timeout=5)
        assert frame.metadata.generation == 1 and frame.channel_order == "RGBA"
        assert tuple(frame.array[3, 4]) == (100, 200, 300, 65535)
        with pytest.raises(RuntimeError), publisher.frame(20, 30, 4, "uint16") as array:
            array[:] = 7
            raise RuntimeError("a program failing mid-frame")
        assert read_shared(key).metadata.generation == 1  # nothing shared from the failed frame


def test_a_default_publish_starts_no_thread(key):
    """Large raw frames back to back, copied (publish) and drawn in place (frame): all on the caller's thread."""
    array = np.zeros((1080, 1920, 4), np.uint8)  # 8 MB, flat out: what a copy split in two would be for
    threads = threading.enumerate()
    with Publisher(key, RAW) as publisher:
        for value in range(150):
            array[0, 0] = value
            publisher.publish(array)
        for value in range(150):
            with publisher.frame(1080, 1920, 4) as slot:
                slot[0, 0] = value
        assert threading.enumerate() == threads
        assert read_shared(key).metadata.generation == 300
    assert threading.enumerate() == threads


def test_the_qt_codec_takes_arrays_too(key):
    array = _array((12, 10, 3), np.uint8)
    with Publisher(key, QT) as publisher:
        publisher.publish(array)
        shared = read_shared(key)
    assert shared.codec == "qt"
    assert tuple(shared.image.pixelColor(4, 3).getRgb()[:3]) == tuple(array[3, 4])


@pytest.mark.parametrize(
    "array",
    [
        np.zeros((4, 4, 2), np.uint8),
        np.zeros((4, 4), np.float32),
        np.zeros((4, 4, 3), np.int16),
        np.zeros(16, np.uint8),
    ],
    ids=["2-channels", "float32", "int16", "1-d"],
)
def test_other_arrays_are_refused_with_a_clear_message(key, array):
    with (
        Publisher(key, RAW) as publisher,
        pytest.raises(ValueError, match="use HxW, HxWx3 or HxWx4 of uint8 or uint16"),
    ):
        publisher.publish(array)


def test_numpy_is_not_imported_unless_used():
    code = (
        "import sys; from shareimg import Publisher, Watcher, read_image, RAW; "
        "import shareimg.provider.cli, shareimg.consumer.cli; print('numpy' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def _guide_opencv_example(key: str) -> str:
    guide = (Path(__file__).resolve().parent.parent / "docs" / "guide.md").read_text()
    section = guide.split("### Streaming OpenCV frames", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert '"opencv-demo"' in code
    return code.replace('"opencv-demo"', repr(key))


def test_the_user_guides_opencv_example_streams_bgr_frames(key, spawn, tmp_path):
    try:
        import cv2  # noqa: F401 - the example needs it
    except ImportError:
        if os.environ.get("CI"):
            raise  # the test extra installs it
        pytest.skip("the user guide's OpenCV example needs opencv-python-headless (in the test extra)")
    script = tmp_path / "opencv_example.py"
    script.write_text(_guide_opencv_example(key))
    example = spawn(script, program=sys.executable)
    generations = []
    with Watcher(key) as watcher:
        while len(generations) < 3:
            frame = watcher.next_frame(timeout=20, view=True)
            assert frame is not None, "the example shared nothing"
            with frame:
                array = frame.array
                assert array.shape == (720, 1280, 3) and frame.channel_order == "BGR"
                red = (array[..., 2] == 255) & (array[..., 1] == 0) & (array[..., 0] == 0)
                assert red.sum() > 9000, "no red ball"
                y, x = map(int, np.argwhere(red)[0])
                assert frame.image.pixelColor(x, y).getRgb()[:3] == (255, 0, 0)
                generations.append(frame.metadata.generation)
    assert generations == sorted(set(generations))
    example.stop(signal.SIGINT)  # KeyboardInterrupt leaves the with block: the segment goes
