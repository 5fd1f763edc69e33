"""Session notes in the practice's format (formats.yaml), drafted from a summary and approved by a clinician."""
