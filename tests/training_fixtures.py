"""Tiny real models and data for the training/convert tests: a random 2-layer Llama with SmolLM2's tokenizer."""
from __future__ import annotations

import json
from pathlib import Path

from core.schemas import SessionSummary, TriageAssessment

TRIAGE_LABELS = [
    dict(severity="crisis", concern_type="suicidal_ideation", recommended_action="emergency_services",
         risk_flags=["suicidal_thoughts", "plan"], empathetic_opening="I'm really glad you told me this.",
         follow_up_question="Are you somewhere safe right now?"),
    dict(severity="low", concern_type="burnout", recommended_action="self_help_resources",
         risk_flags=["work_stress"], empathetic_opening="That sounds like a draining stretch at work.",
         follow_up_question="What would a small break look like for you this week?"),
]
TEXTS = ["I have a plan to end it on Friday.", "Work has been exhausting lately and I'm tired."]


def build_tiny_llama(out_dir: Path) -> Path:
    """A random LlamaForCausalLM (hidden 64, 2 layers) saved with the embedded model's tokenizer."""
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    from core.embedded import embedded_gguf_path

    gguf = embedded_gguf_path()
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                         tie_word_embeddings=True, bos_token_id=tokenizer.bos_token_id,
                         eos_token_id=tokenizer.eos_token_id)
    model = LlamaForCausalLM(config)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def triage_records(n: int) -> list[dict]:
    rows = []
    for i in range(n):
        label = TriageAssessment.model_validate(TRIAGE_LABELS[i % 2]).model_dump()
        rows.append({"id": f"t{i}", "text": f"{TEXTS[i % 2]} ({i})", "label": label, "source": "test"})
    return rows


def summarize_records(n: int) -> list[dict]:
    summary = SessionSummary(chief_complaint="low mood", symptoms="poor sleep", risk="low",
                             risk_note="no risk", plan="weekly sessions")
    return [{"id": f"s{i}", "session": f"Client reports low mood and poor sleep, week {i}.",
             "summary_html": summary.to_html(), "risk": "low", "source": "test"} for i in range(n)]


def chat_records(n: int) -> list[dict]:
    return [{"id": f"c{i}", "source": "test", "topic": None,
             "messages": [{"role": "user", "content": f"How do I sleep better? ({i})"},
                          {"role": "assistant", "content": "Keep a regular bedtime and avoid screens late."}]}
            for i in range(n)]


def prepare_home(home: Path, task: str, n_train: int = 12, n_val: int = 4) -> Path:
    """Write <home>/data/prepared/<task>/{train,val}.jsonl in the prepared-records format."""
    make = {"triage": triage_records, "summarize": summarize_records, "chat": chat_records}[task]
    folder = home / "data" / "prepared" / task
    write_jsonl(folder / "train.jsonl", make(n_train))
    write_jsonl(folder / "val.jsonl", make(n_val))
    return folder


def tiny_llama_dir(pytestconfig) -> Path:
    """The tiny model, built once and kept in pytest's cache folder."""
    folder = Path(pytestconfig.cache.mkdir("tiny-llama-v1"))
    if not (folder / "config.json").is_file():
        build_tiny_llama(folder)
    return folder


def require_llama_tools() -> None:
    """Skip the calling test unless llama-cpp-python and its converter (set up by scripts/setup.sh) are here."""
    import pytest

    pytest.importorskip("llama_cpp")
    from convert.tools import ToolsUnavailable, llama_tools

    try:
        llama_tools(download=False)
    except ToolsUnavailable:
        pytest.skip("llama.cpp converter not set up (scripts/fetch_llama_tools.sh)")
