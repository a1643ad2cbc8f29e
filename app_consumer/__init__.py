"""The consumer: reads the image shared under a key and shows it (the article's program B)."""
