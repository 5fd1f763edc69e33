"""Our progress bars are the only ones: silence library progress bars, loading bars and deprecation chatter."""
from __future__ import annotations

import warnings


def quiet() -> None:
    """Call before training, merging or converting with the HF libraries (imports them)."""
    import datasets
    import transformers

    datasets.disable_progress_bars()
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    warnings.filterwarnings("ignore", category=FutureWarning)
