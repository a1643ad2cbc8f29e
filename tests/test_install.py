"""`make install-desktop` puts working menu entries and the icon into a (temporary) home."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from processes import ROOT


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_install_desktop_into_a_temporary_home(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path)}
    result = subprocess.run(["make", "-s", "install-desktop"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    applications = tmp_path / ".local/share/applications"
    assert (tmp_path / ".local/share/icons/hicolor/scalable/apps/shareimg.svg").is_file()
    for app in ("provider", "consumer"):
        entry = configparser.ConfigParser(interpolation=None)
        entry.optionxform = str
        entry.read(applications / f"shareimg-{app}.desktop", encoding="utf-8")
        desktop = entry["Desktop Entry"]
        program = Path(desktop["Exec"].split()[0])
        assert program.name == f"shareimg-{app}" and os.access(program, os.X_OK)
        assert desktop["Icon"] == "shareimg" and desktop["Type"] == "Application"
        assert desktop["Name[zh_CN]"].startswith("shareimg ")
        help_text = subprocess.run([program, "--help"], capture_output=True, text=True, timeout=60)
        assert help_text.returncode == 0 and "--key" in help_text.stdout
