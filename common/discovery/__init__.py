"""Finding sources: announcements, the list of live providers, recent keys, and the Publisher that announces itself."""
