"""The end-to-end build: prepare data, train, convert, verify and register both models."""
