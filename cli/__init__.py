"""The CLI: one module per command group, each imported only when main.py runs its command."""
