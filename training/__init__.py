"""Fine-tuning: LoRA on CPU, QLoRA on CUDA (configs, data, the training run and its progress bar)."""
import logging

# bitsandbytes (imported by peft) warns at import time about an optional CPU kernel hub it cannot reach
# offline; that is not the user's business, and nothing here uses its CPU kernels.
logging.getLogger("bitsandbytes").setLevel(logging.ERROR)
