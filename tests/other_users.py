"""Other local users for the tests that run as root: made-up uids, run with ``setpriv``.

Our interpreter may be a build under /root, which no other user may enter; their programs run with a
venv made from Debian's /usr/bin/python3 (the same minor version), whose .pth adds our site-packages --
so they import this checkout's shareimg and its dependencies, as they are.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from processes import PROGRAMS

#: A uid with no name on this machine, as a squatter's may be.
NAMELESS_UID = 4242
SYSTEM_PYTHON = Path("/usr/bin/python3")


def interpreter_for_everyone(folder: Path) -> Path:
    """A python under ``folder`` that every user can run and that imports our packages."""
    version = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import sys; print(*sys.version_info[:2])"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert version == [str(n) for n in sys.version_info[:2]], f"{SYSTEM_PYTHON} is {version}: install python3 of ours"
    venv = folder / "venv"
    subprocess.run([SYSTEM_PYTHON, "-m", "venv", "--without-pip", venv], check=True)
    ours = sysconfig.get_paths()["purelib"]
    site_packages = next(venv.glob("lib/python*/site-packages"))
    (site_packages / "shareimg_tests.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0))
    return venv / "bin" / "python"


def run_as(uid: int, python: Path, program: str, *args: object) -> subprocess.CompletedProcess:
    """``tests/programs/PROGRAM ARGS...`` as ``uid`` (its group the same number, no other groups), to the end."""
    argv = ["setpriv", "--reuid", str(uid), "--regid", str(uid), "--clear-groups", python, PROGRAMS / program, *args]
    # HOME is root's, which they cannot enter; TMPDIR stays: the key files must be where ours are.
    environment = {**os.environ, "HOME": "/"}
    return subprocess.run(list(map(str, argv)), cwd="/", env=environment, capture_output=True, text=True, timeout=60)


def scratch_folder() -> Path:
    """A folder in $TMPDIR that every user can read, for their interpreter."""
    tmp = Path(tempfile.gettempdir())
    assert tmp.stat().st_mode & stat.S_IXOTH, f"make {tmp} searchable by other users (chmod o+x) for this test"
    folder = Path(tempfile.mkdtemp(prefix="shareimg-other-users-"))
    folder.chmod(0o755)
    return folder
