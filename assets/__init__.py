"""Files shipped with shareimg: the demo's sample image, the icon and the .desktop templates."""
