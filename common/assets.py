"""Files the apps ship in assets/ (installed as shareimg.assets): the demo's sample image and the icon."""

from importlib.resources import files
from pathlib import Path

# Installed from a wheel or editable, the package's files are plain files on disk.
ASSETS = Path(str(files("shareimg.assets")))
SAMPLE_IMAGE = ASSETS / "sample.png"
ICON = ASSETS / "shareimg.svg"
