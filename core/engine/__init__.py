"""Engines: one Engine interface with llama.cpp (embedded) and Ollama implementations, and the model registry."""
