"""The completion-only loss equals TRL's own, value and gradients, on a tiny real Llama."""
from __future__ import annotations

import pytest
import torch
from datasets import Dataset
from trl import SFTTrainer

from tests.training_fixtures import tiny_llama_dir, triage_records
from training.config import build_lora_config, build_sft_config, preset
from training.data import to_examples
from training.loss import CompletionSFTTrainer


@pytest.fixture(scope="module")
def trainer(pytestconfig, tmp_path_factory):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tiny = tiny_llama_dir(pytestconfig)
    cfg = preset("cpu-lora", task="triage", base_model=str(tiny), batch_size=4, max_length=256)
    examples = to_examples("triage", triage_records(8), "You are a triage assistant.", "test")
    tokenizer = AutoTokenizer.from_pretrained(tiny)
    return CompletionSFTTrainer(model=AutoModelForCausalLM.from_pretrained(tiny),
                                args=build_sft_config(cfg, tmp_path_factory.mktemp("ckpt"), len(examples)),
                                train_dataset=Dataset.from_list(examples),
                                eval_dataset=Dataset.from_list(examples[:2]), processing_class=tokenizer,
                                peft_config=build_lora_config(cfg))


def _loss_and_grads(trainer, compute_loss, batch):
    trainer.model.zero_grad()
    loss = compute_loss(trainer, trainer.model, dict(batch))
    loss.backward()
    return loss.detach(), {n: p.grad.clone() for n, p in trainer.model.named_parameters() if p.requires_grad}


def test_same_loss_and_gradients_as_trl(trainer):
    trainer.model.eval()                       # no LoRA dropout: both see the same network
    batch = trainer._prepare_inputs(next(iter(trainer.get_train_dataloader())))
    assert (batch["labels"] == -100).any() and (batch["labels"] != -100).any()  # prompt masked, answer learned
    ours, our_grads = _loss_and_grads(trainer, CompletionSFTTrainer.compute_loss, batch)
    theirs, their_grads = _loss_and_grads(trainer, SFTTrainer.compute_loss, batch)
    assert torch.allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    assert our_grads.keys() == their_grads.keys() and our_grads
    for name, grad in our_grads.items():
        assert torch.allclose(grad, their_grads[name], rtol=1e-4, atol=1e-7), name


def test_num_items_in_batch_divides_the_summed_loss(trainer):
    trainer.model.eval()
    batch = trainer._prepare_inputs(next(iter(trainer.get_train_dataloader())))
    n = int((batch["labels"][:, 1:] != -100).sum())
    with torch.no_grad():
        mean = trainer.compute_loss(trainer.model, dict(batch))
        halved = trainer.compute_loss(trainer.model, dict(batch), num_items_in_batch=2 * n)
    assert torch.allclose(halved, mean / 2, rtol=1e-5)
    assert 0.0 <= trainer._metrics["eval"]["mean_token_accuracy"][-1] <= 1.0
