"""De-identification of training and practice text: Safe Harbor identifiers -> numbered placeholders ([NAME_1])."""
from training_data.deid.engine import Pseudonyms, find_many, find_pii, replace, scrub
from training_data.deid.names import warm
from training_data.deid.spans import KINDS, PLACEHOLDER, Span, placeholder

__all__ = ["KINDS", "Pseudonyms", "PLACEHOLDER", "Span", "find_many", "find_pii", "placeholder", "replace", "scrub", "warm"]
