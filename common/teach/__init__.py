"""The step-through: the article's calls made by hand, one at a time, and what each returned (no widgets)."""
