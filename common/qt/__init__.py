"""Qt services both apps use, with no widgets: background jobs, display, signals, the step log, saving, commands."""
