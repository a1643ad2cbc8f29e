"""The wire format: the bytes of a segment (docs/PROTOCOL.md), with no knowledge of how they travel."""
