"""Ollama Modelfiles: parse/render (spec), chat-template families (templates), registration (register)."""
