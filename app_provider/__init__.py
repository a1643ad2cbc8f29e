"""The provider: loads an image and shares it under a key (the article's program A)."""
