"""Search: chunking, embeddings, keyword and semantic index, ranking."""
