"""The windows' layer: what the provider's and the consumer's windows share.

The library around it (channel, codecs, publisher, reader, watcher...) never
imports this package, nor QtWidgets: scripts and the headless commands use it
without widgets.  The apps build their windows from these parts: a base
window (:mod:`.sharing_window`) with the steps panel, the key dialog, the About
box, the message line and the window's state; the image view; the file
dialogs; the command-line shell that starts a window; the translations.
"""
