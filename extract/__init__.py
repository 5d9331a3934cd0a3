"""Reading documents (PDF, HTML, text) and extracting facts from them, as pure functions."""
