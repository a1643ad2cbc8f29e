"""The bytes of a source on the network: its names, each frame's header, its details (docs/NETWORK.md).

Everything a program in another language needs to take part with zenoh alone:
the key expressions under ``shareimg/v1``, the 48-byte attachment that
travels with each frame, and the JSON a source's details are.  A frame from
the network is checked here like a hostile segment: every size before any
allocation.
"""

from __future__ import annotations

import json
import re
import socket
import struct
from dataclasses import dataclass
from typing import Any

from shareimg.errors import InvalidSourceName, NotAnImage
from shareimg.wire.limits import LIMITS

PREFIX = "shareimg/v1"
#: Every source's liveliness token, and every source's details.
ALL_SOURCES = f"{PREFIX}/*/*"
ALL_DETAILS = f"{PREFIX}/*/*/info"

#: Codec ids in the attachment.
JPEG, PNG, RAW = 1, 2, 3
CODEC_NAMES = {JPEG: "jpeg", PNG: "png", RAW: "raw"}
CODEC_IDS = {name: codec_id for codec_id, name in CODEC_NAMES.items()}

#: The source shares Qt's stream (QDataStream << QImage), as Qt's example and C++ Qt programs do: a
#: receiver shares the same way, so that such a program reads it there too.  Without it: raw frames, in a ring.
FLAG_QT = 1

MAGIC = b"SIMN"
VERSION = 1
# magic, version, codec, flags, width, height, format, bytes per line, seq, publish time, send time.
HEADER = struct.Struct("<4sBBHIIIIQQQ")
HEADER_SIZE = HEADER.size  # 48

#: What a host or a key may be: one chunk of a zenoh key expression, as a shareimg key is (transport/keys.py).
_CHUNK = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
# A compressed image larger than its pixels plus this is not an image we made.
_PAYLOAD_SLACK = 1 << 20


def validate_host(host: str) -> str:
    """``host`` if it can name a machine in a source's name, else :class:`InvalidSourceName` saying why."""
    if not _CHUNK.fullmatch(host):
        raise InvalidSourceName(
            f"the name '{host}' cannot name a machine: use 1-100 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return host


def this_host() -> str:
    """This machine's name as a source's name uses it: the hostname, any other character made '-'."""
    name = re.sub(r"[^A-Za-z0-9._-]", "-", socket.gethostname().split(".")[0]).strip("-._")[:100]
    return name or "localhost"


def source_name(host: str, key: str) -> str:
    return f"{host}/{key}"


def split_name(name: str) -> tuple[str, str]:
    """``HOST/K`` as (host, key), each checked; :class:`InvalidSourceName` naming the mistake otherwise."""
    host, slash, key = name.partition("/")
    if not slash or not host or not key:
        raise InvalidSourceName(
            f"'{name}' is not a source's name: write HOST/KEY, as shareimg-consumer --list --network shows"
        )
    if not _CHUNK.fullmatch(key):
        raise InvalidSourceName(f"'{key}' in '{name}' is not a key: 1-100 letters, digits, '.', '_' or '-'")
    return validate_host(host), key


def token_key(host: str, key: str) -> str:
    """The liveliness token's key: it exists while the source does."""
    return f"{PREFIX}/{host}/{key}"


def frame_key(host: str, key: str) -> str:
    return f"{PREFIX}/{host}/{key}/frame"


def details_key(host: str, key: str) -> str:
    return f"{PREFIX}/{host}/{key}/info"


def name_of(key_expr: str) -> tuple[str, str] | None:
    """(host, key) of a token's, frame's or details' key expression; None for one not ours."""
    parts = key_expr.split("/")
    if len(parts) < 4 or "/".join(parts[:2]) != PREFIX or not all(_CHUNK.fullmatch(part) for part in parts[2:4]):
        return None
    return parts[2], parts[3]


@dataclass(frozen=True)
class FrameHeader:
    """The attachment of one frame: what the payload decodes to, and when the source published it."""

    codec: int
    width: int
    height: int
    image_format: int  # QImage::Format of the decoded pixels: what the receiver shares
    bytes_per_line: int  # raw only, else 0
    seq: int  # the source's generation
    publish_unix_ns: int  # the source's publish, CLOCK_REALTIME
    sent_unix_ns: int = 0  # the sender's put, CLOCK_REALTIME
    flags: int = 0

    @property
    def qt(self) -> bool:
        return bool(self.flags & FLAG_QT)

    def pack(self) -> bytes:
        return HEADER.pack(
            MAGIC, VERSION, self.codec, self.flags, self.width, self.height, self.image_format,
            self.bytes_per_line, self.seq, self.publish_unix_ns, self.sent_unix_ns,
        )  # fmt: skip


def unpack_header(attachment: bytes | None) -> FrameHeader:
    """The header of a frame from the network; :class:`NotAnImage` saying what is wrong with it."""
    if attachment is None:
        raise NotAnImage("a frame came without its 48-byte shareimg attachment")
    if len(attachment) != HEADER_SIZE:
        raise NotAnImage(f"a frame's attachment has {len(attachment)} bytes, not {HEADER_SIZE}")
    magic, version, codec, flags, width, height, fmt, bpl, seq, published, sent = HEADER.unpack(attachment)
    if magic != MAGIC:
        raise NotAnImage(f"a frame's attachment starts with {magic!r}, not {MAGIC!r}")
    if version != VERSION:
        raise NotAnImage(f"a frame's attachment is version {version}; this shareimg reads version {VERSION}")
    if codec not in CODEC_NAMES:
        raise NotAnImage(f"a frame's codec id {codec} is none of {sorted(CODEC_NAMES)}")
    return FrameHeader(codec, width, height, fmt, bpl, seq, published, sent, flags)


def check_payload(header: FrameHeader, payload_length: int, bytes_per_pixel: int) -> int:
    """Check a frame's sizes against the limits before anything is allocated; the bytes its pixels take.

    Raises :class:`NotAnImage` (or :class:`~shareimg.errors.ImageTooLarge`) naming the size at fault.
    """
    if header.codec == RAW:
        if header.bytes_per_line < header.width * bytes_per_pixel:
            raise NotAnImage(f"its rows of {header.bytes_per_line} bytes cannot hold {header.width} pixels")
        nbytes = header.bytes_per_line * header.height
        LIMITS.check_allocation(header.width, header.height, nbytes)
        if payload_length != nbytes:
            raise NotAnImage(f"a raw frame of {header.width}x{header.height} came with {payload_length:,} bytes")
        return nbytes
    nbytes = header.width * header.height * bytes_per_pixel
    LIMITS.check_allocation(header.width, header.height, nbytes)
    if payload_length > nbytes + _PAYLOAD_SLACK:
        raise NotAnImage(f"{payload_length:,} bytes claim to encode a {header.width}x{header.height} image")
    return nbytes


#: The details' fields and their types: what a listing shows of a source.
DETAILS_FIELDS: dict[str, type] = {
    "version": int, "host": str, "key": str, "title": str, "width": int, "height": int,
    "format": int, "codec": str, "quality": int, "fps": float, "pid": int,
}  # fmt: skip


def pack_details(details: dict[str, Any]) -> bytes:
    return json.dumps({name: details[name] for name in DETAILS_FIELDS}, ensure_ascii=False).encode()


def unpack_details(data: bytes) -> dict[str, Any]:
    """A source's details, each field of its type; :class:`ValueError` for anything else."""
    if len(data) > 65536:
        raise ValueError(f"details of {len(data):,} bytes")
    try:
        raw = json.loads(data.decode("utf-8"))
    except RecursionError:  # 64 KiB of brackets nest deeper than Python's decoder goes
        raise ValueError("details nested too deep") from None
    if not isinstance(raw, dict):
        raise ValueError("details that are not a JSON object")
    details: dict[str, Any] = {}
    for name, kind in DETAILS_FIELDS.items():
        value = raw.get(name)
        if kind is float and isinstance(value, int):
            value = float(value)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ValueError(f"details whose {name!r} is {value!r}")
        details[name] = value
    if not _CHUNK.fullmatch(details["host"]) or not _CHUNK.fullmatch(details["key"]):
        raise ValueError(f"details naming the source {details['host']!r}/{details['key']!r}")
    return details
