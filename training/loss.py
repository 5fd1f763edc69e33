"""The completion-only loss, projecting only the positions learned from (TRL's head scores every one on a CPU)."""
from __future__ import annotations

from trl import SFTTrainer


class CompletionSFTTrainer(SFTTrainer):
    """SFTTrainer whose loss runs the LM head on the completion tokens alone.

    TRL's fused head skips prompt and pad positions only where Triton runs (CUDA/XPU); on a CPU it projects
    every position of the batch onto the 49k-word vocabulary and computes entropy there too, which costs more
    than the transformer itself for a short answer after a long system prompt. Here the backbone runs once,
    the hidden states whose next token is labelled are gathered, and only those go through the head and a
    plain cross-entropy. Same loss (mean over labelled tokens, or over `num_items_in_batch` when the Trainer
    accumulates), same `num_tokens` and `mean_token_accuracy` logs; no entropy metric.
    """

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        if return_outputs:                       # logits wanted (compute_metrics): TRL's own path
            return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
        import torch
        import torch.nn.functional as F

        mode = "train" if self.model.training else "eval"
        causal_lm = model.get_base_model() if hasattr(model, "get_base_model") else model
        features = {k: v for k, v in inputs.items() if k != "labels"}
        hidden = causal_lm.base_model(**features, use_cache=False).last_hidden_state[:, :-1]
        labels = inputs["labels"][:, 1:]
        mask = labels != -100
        head = causal_lm.get_output_embeddings()
        logits = head(hidden[mask].to(head.weight.device)).float()
        targets = labels[mask].to(logits.device)
        total = F.cross_entropy(logits, targets, reduction="sum")
        count = mask.sum() if num_items_in_batch is None else num_items_in_batch
        loss = total / torch.as_tensor(count, device=total.device).clamp(min=1)
        with torch.no_grad():
            n = int(mask.sum())
            correct = int((logits.argmax(-1) == targets).sum()) if n else 0
        self._metrics[mode]["mean_token_accuracy"].append(correct / n if n else 0.0)
        if mode == "train":
            self._total_train_tokens += int(inputs["attention_mask"].sum()) if "attention_mask" in inputs \
                else int(inputs["position_ids"].size(1))
        self._metrics[mode]["num_tokens"] = [self._total_train_tokens]
        return loss
