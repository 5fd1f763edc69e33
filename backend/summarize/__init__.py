"""Session summaries: the prompt (shared with training) and the service (per session, chunks, progression, cache)."""
