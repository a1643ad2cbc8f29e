"""The version of the installed package: one number, in pyproject.toml, read from the package's metadata."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("shareimg")
except PackageNotFoundError:  # run from a checkout that was never installed
    VERSION = "unknown"
