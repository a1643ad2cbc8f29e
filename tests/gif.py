"""A tiny animated-GIF writer for tests: solid-colour frames, each with its own delay.

Qt reads GIFs but cannot write them.  The LZW stream here never compresses: a
clear code every two pixels keeps every code 3 bits wide.
"""

from __future__ import annotations

import struct


def animated_gif(width: int, height: int, frames: list[tuple[tuple[int, int, int], int]]) -> bytes:
    """``frames``: (rgb colour, delay in ms) each; at most 4 frames (a 4-colour palette)."""
    assert 1 <= len(frames) <= 4
    palette = [colour for colour, _ in frames] + [(0, 0, 0)] * (4 - len(frames))
    out = bytearray(b"GIF89a")
    out += struct.pack("<HHBBB", width, height, 0b1000_0001, 0, 0)  # global table of 4 colours
    for colour in palette:
        out += bytes(colour)
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"  # loop forever
    for index, (_, delay_ms) in enumerate(frames):
        out += b"\x21\xf9\x04" + struct.pack("<BHBB", 0, delay_ms // 10, 0, 0)
        out += b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0)
        out += b"\x02" + _sub_blocks(_lzw([index] * (width * height)))
    out += b"\x3b"
    return bytes(out)


def _lzw(pixels: list[int]) -> bytes:
    clear, end = 4, 5
    codes: list[int] = []
    for start in range(0, len(pixels), 2):
        codes += [clear, *pixels[start : start + 2]]
    codes.append(end)
    bits = 0
    for position, code in enumerate(codes):
        bits |= code << (3 * position)
    return bits.to_bytes((3 * len(codes) + 7) // 8, "little")


def _sub_blocks(data: bytes) -> bytes:
    blocks = b"".join(bytes([len(data[i : i + 255])]) + data[i : i + 255] for i in range(0, len(data), 255))
    return blocks + b"\x00"
