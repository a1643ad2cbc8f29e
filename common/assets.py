"""Files the apps ship in assets/: the demo's sample image and the icon."""

from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"
SAMPLE_IMAGE = ASSETS / "sample.png"
ICON = ASSETS / "shareimg.svg"
