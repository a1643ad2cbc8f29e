"""The README and docs/: short enough to read, every link and picture there, every menu named as the windows name it."""

from __future__ import annotations

import re
import signal
import sys
from pathlib import Path

import pytest
from processes import ROOT, run_program
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMenu

from shareimg import read_image

README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
README_MOST_BYTES = 12_000
# [text](target) and ![alt](target); a target may carry a #fragment.
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
MENU_PATH = re.compile(r"\*([^*\n]+ ▸ [^*\n]+)\*")


def _anchors(page: Path) -> set[str]:
    """The #fragments GitHub makes of a page's headings: lower case, punctuation dropped, spaces to '-'."""
    anchors = set()
    for line in page.read_text().splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", heading).replace(" ", "-"))
    return anchors


def _relative_links(page: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.DOTALL)  # code is not a link
    return [target for target in LINK.findall(text) if not re.match(r"[a-z]+:", target)]


def test_the_readme_is_at_most_12_kb():
    size = len(README.read_bytes())
    assert size <= README_MOST_BYTES, f"README.md is {size:,} bytes: move detail into docs/"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_relative_link_and_picture_exists(page):
    missing = []
    for target in _relative_links(page):
        path, _, fragment = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            missing.append(target)
        elif fragment and file.suffix == ".md" and fragment not in _anchors(file):
            missing.append(f"{target} (no such heading)")
    assert not missing, f"{page.name} links to what is not there: {missing}"


def test_the_readme_leads_into_every_page_of_docs():
    linked = {(ROOT / target.partition("#")[0]).resolve() for target in _relative_links(README)}
    pages = {page.resolve() for page in (ROOT / "docs").glob("*.md")}
    for name in ("guide.md", "performance.md", "reliability.md", "architecture.md", "PROTOCOL.md"):
        assert ROOT / "docs" / name in pages, f"docs/{name} is missing"
    assert pages <= linked, f"README.md does not link to {sorted(p.name for p in pages - linked)}"
    screenshots = {path.resolve() for path in (ROOT / "docs").glob("screenshot-*.png")}
    assert screenshots <= linked, f"README.md does not show {sorted(p.name for p in screenshots - linked)}"


def test_the_readme_names_the_article_it_implements():
    text = README.read_text()
    assert "qt linux 共享内存" in text and "Qt shared memory on Linux" in text


def _menu_paths(menu: QMenu, above: tuple[str, ...]) -> set[str]:
    """'File ▸ Open…' for every entry of ``menu`` and its submenus, as the window shows them."""
    path = (*above, menu.title().replace("&", ""))
    paths = {" ▸ ".join(path)}
    for action in menu.actions():
        if action.menu() is not None:
            paths |= _menu_paths(action.menu(), path)
        elif not action.isSeparator():
            paths.add(" ▸ ".join((*path, action.text().replace("&", ""))))
    return paths


def test_every_menu_path_in_the_docs_is_one_the_windows_have(provider, consumer):
    """*File ▸ Open…* in the text names an entry of a real menu of the English windows."""
    shown = set()
    for window in (provider, consumer):
        for action in window.menuBar().actions():
            shown |= _menu_paths(action.menu(), ())
    for page in PAGES:
        wrong = sorted(set(MENU_PATH.findall(page.read_text())) - shown)
        assert not wrong, f"{page.name} names menu entries the windows do not have: {wrong}"


def test_the_readme_and_the_makefile_suggest_the_same_virtual_screen():
    screen = re.compile(r"-screen 0 (\d+x\d+x\d+)' make demo")
    assert (
        set(screen.findall(README.read_text()))
        == set(screen.findall((ROOT / "Makefile").read_text()))
        == {"1366x768x24"}
    )


def _readme_python_blocks() -> list[str]:
    section = README.read_text().split("## From a script", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def test_the_readmes_script_example_shares_and_reads_an_image(key, spawn, tmp_path):
    """Program A as the README writes it, in a process of its own; program B reads what it shares."""
    program_a, program_b = _readme_python_blocks()
    assert '"my-key"' in program_a and '"photo.png"' in program_a and '"my-key"' in program_b
    photo = ROOT / "assets" / "sample.png"
    (tmp_path / "a.py").write_text(program_a.replace('"my-key"', repr(key)).replace('"photo.png"', repr(str(photo))))
    (tmp_path / "b.py").write_text(program_b.replace('"my-key"', repr(key)))
    provider = spawn(tmp_path / "a.py", program=sys.executable, cwd=tmp_path)
    assert provider.line() == "shared"
    result = run_program([sys.executable, tmp_path / "b.py"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    saved, shared = QImage(str(tmp_path / "copy.png")), read_image(key)
    assert not saved.isNull() and saved.convertToFormat(shared.format()) == shared
    provider.stop(signal.SIGINT)  # Ctrl+C, as the README says: the with block ends, the segment goes
