"""Files shipped with shareimg: the demo's sample image, the icon and the .desktop templates."""

from importlib.resources import files
from pathlib import Path

# Installed from a wheel or editable, the package's files are plain files on disk.
ASSETS = Path(str(files(__name__)))
SAMPLE_IMAGE = ASSETS / "sample.png"
ICON = ASSETS / "shareimg.svg"
