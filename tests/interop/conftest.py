from __future__ import annotations

import os

import pytest

from .build import PACKAGES, MissingTools, peer


@pytest.fixture(scope="session", params=[5, 6], ids=["qt5", "qt6"])
def cpp_peer(request):
    """The C++ peer binary for one Qt major version."""
    try:
        return peer(request.param)
    except MissingTools as missing:
        message = f"C++ interop tests need the Debian packages {PACKAGES} ({missing}): sudo apt-get install {PACKAGES}"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs them (make test): a skip there would hide a broken setup
        pytest.skip(message)
