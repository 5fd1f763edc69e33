"""Triage: one message -> a validated, floor-protected, grounded assessment (see service.triage)."""
