"""The wheel built from this checkout works installed elsewhere: data files, translations, commands.

The wheel goes into a fresh venv, not editable, and every command runs from a folder outside the
checkout. Only shareimg's dependencies (PySide6) come from the test environment, through a .pth
file, so that no download is needed; shareimg itself comes from the wheel alone, as the first test
checks.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import time
import venv
import zipfile
from pathlib import Path

import PySide6
import pytest
from images import same_pixels
from processes import ROOT, free_port, run_program
from PySide6.QtGui import QImage

from shareimg import ShareImgError, read_shared


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # A copy of the checkout, so that no build/ folder of an earlier build can add stale files.
    source = tmp_path_factory.mktemp("source") / "shareimg"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".*", "build", "*.egg-info", "__pycache__", "tests"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", out, source],
        check=True,
        capture_output=True,
        cwd=out,
    )
    (built,) = out.glob("shareimg-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed; returns its bin/ folder."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=True)
    python = home / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--disable-pip-version-check", wheel],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "dependencies.pth").write_text(str(Path(PySide6.__file__).parent.parent) + "\n")
    return home / "bin"


def installed_sample(installed: Path) -> str:
    """Where the installed package keeps its sample image."""
    return subprocess.run(
        [installed / "python", "-c", "from shareimg.assets import SAMPLE_IMAGE; print(SAMPLE_IMAGE)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    """A working folder outside the checkout, so nothing can be imported from it."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def test_the_wheel_installs_one_top_level_name(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"shareimg"}
    for data in (
        "shareimg/assets/sample.png",
        "shareimg/assets/shareimg.svg",
        "shareimg/assets/shareimg-provider.desktop",
        "shareimg/assets/shareimg-consumer.desktop",
        "shareimg/translations/shareimg_zh_CN.qm",
    ):
        assert data in names, f"{data} is not in the wheel"


def test_shareimg_comes_from_the_wheel_and_finds_its_files(installed, elsewhere):
    probe = (
        "import shareimg, sys;"
        "from shareimg import Publisher, Watcher, read_image, sources;"
        "from shareimg.assets import SAMPLE_IMAGE, ICON;"
        "from shareimg.ui.translations import install_translator;"
        "from PySide6.QtCore import QCoreApplication;"
        "app = QCoreApplication([]);"
        "print(shareimg.__file__, SAMPLE_IMAGE.is_file(), ICON.is_file(),"
        " install_translator(app, 'zh_CN'), QCoreApplication.translate('ConsumerWindow', '&File'))"
    )
    result = run_program([installed / "python", "-c", probe], cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    location, sample, icon, language, menu = result.stdout.split()
    assert Path(location).is_relative_to(installed.parent) and not Path(location).is_relative_to(ROOT)
    assert (sample, icon, language, menu) == ("True", "True", "zh_CN", "文件(&F)")


def test_installed_commands_share_the_sample_pixel_exact(installed, elsewhere, key, spawn):
    sample = installed_sample(installed)
    provider = spawn(sample, "--key", key, "--headless", program=installed / "shareimg-provider", cwd=elsewhere)
    assert provider.fields()["event"] == "published"
    out = elsewhere / "read.png"
    result = run_program([installed / "shareimg-consumer", "--key", key, "--headless", "--output", out], cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert same_pixels(QImage(str(out)), QImage(sample))
    assert provider.stop() == 0


def test_installed_demo_shares_the_sample(installed, elsewhere, key, spawn):
    demo = spawn("--key", key, program=installed / "shareimg-demo", cwd=elsewhere)
    deadline = time.monotonic() + 30
    shared = None
    while shared is None and time.monotonic() < deadline:
        try:
            shared = read_shared(key)
        except ShareImgError:  # not shared yet
            time.sleep(0.2)
    assert shared is not None, "the installed demo shared nothing"
    site = Path(sysconfig.get_paths(vars={"base": str(installed.parent)})["purelib"])
    assert same_pixels(shared.image, QImage(str(site / "shareimg/assets/sample.png")))
    assert demo.stop() == 0


def test_installed_bridge_carries_the_sample_between_keys(installed, elsewhere, key, keys, spawn):
    """The wheel's shareimg-bridge, send and receive over loopback, moves the sample pixel exact (png)."""
    sample = installed_sample(installed)
    provider = spawn(sample, "--key", key, "--headless", program=installed / "shareimg-provider", cwd=elsewhere)
    assert provider.fields()["event"] == "published"
    endpoint = f"tcp/127.0.0.1:{free_port()}"
    bridge = installed / "shareimg-bridge"
    sender = spawn("send", "--key", key, "--name", "wheel", "--codec", "png", "--listen", endpoint, program=bridge)
    assert sender.line().split()[:2] == ["sending", f"wheel/{key}"]
    local = keys()
    receiver = spawn("receive", f"wheel/{key}", "--key", local, "--connect", endpoint, program=bridge, cwd=elsewhere)
    assert receiver.line().split()[:5] == ["receiving", f"wheel/{key}", f"key={local}", "width=800", "height=600"]
    assert same_pixels(read_shared(local).image, QImage(sample))
    assert receiver.stop() == 0 and sender.stop() == 0 and provider.stop() == 0
