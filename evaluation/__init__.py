"""Evaluation: metrics, paired-bootstrap A/B and reports for triage, summaries and chat (`main.py eval`)."""
