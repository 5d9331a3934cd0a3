"""Data files of the facts extractor (alias tables); loaded with importlib.resources."""
