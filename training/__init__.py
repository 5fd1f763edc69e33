"""Fine-tuning: LoRA on CPU, QLoRA on CUDA (configs, data, the training run and its progress bar)."""
import logging
import os

# bitsandbytes (imported by peft) warns at import time about an optional CPU kernel hub it cannot reach
# offline; that is not the user's business, and nothing here uses its CPU kernels.
logging.getLogger("bitsandbytes").setLevel(logging.ERROR)
# Bare tqdm bars (e.g. transformers' GGUF de-quantizing) read this when tqdm is imported: before any HF import.
os.environ.setdefault("TQDM_DISABLE", "1")
