"""Verify a GGUF: it loads, answers schema-constrained smoke prompts, size ratio and perplexity vs f16."""
from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

import tasks
from core.engine.base import GenerationOptions, ModelSpec
from core.engine.llamacpp import LlamaCppEngine
from core.errors import ToolkitError
from core.modelfile import Modelfile
from core.schemas import json_schema


class VerifyFailed(ToolkitError):
    code, exit_code = "verify_failed", 1


def perplexity(gguf_path: Path, texts: list[str], *, n_ctx: int = 512, max_tokens: int = 3000,
               lora_path: Path | None = None) -> float:
    """exp(mean NLL) of each text's tokens (first n_ctx of each) until max_tokens are scored; optional LoRA."""
    import numpy as np
    from llama_cpp import Llama

    llm = Llama(model_path=str(gguf_path), n_ctx=n_ctx, logits_all=True, verbose=False,
                n_threads=os.cpu_count() or 1, lora_path=str(lora_path) if lora_path else None)
    nll, count = 0.0, 0
    try:
        for text in texts:
            tokens = llm.tokenize(text.encode("utf-8"), add_bos=True, special=True)[:n_ctx]
            if len(tokens) < 2:
                continue
            llm.reset()
            llm.eval(tokens)
            logits = np.asarray(llm.scores[: len(tokens) - 1], dtype=np.float64)
            top = logits.max(axis=1, keepdims=True)
            lse = (top + np.log(np.exp(logits - top).sum(axis=1, keepdims=True)))[:, 0]
            nll += float((lse - logits[np.arange(len(tokens) - 1), tokens[1:]]).sum())
            count += len(tokens) - 1
            if count >= max_tokens:
                break
    finally:
        llm.close()
    if not count:
        raise VerifyFailed("No validation text to measure perplexity on.")
    return math.exp(nll / count)


def smoke(gguf_path: Path, mf: Modelfile, task: str) -> dict[str, Any]:
    """Ask the served model (through the toolkit's own engine) the task's smoke prompts with its schema."""
    spec = ModelSpec(name=f"verify:{gguf_path.name}", source=str(gguf_path), gguf_path=gguf_path,
                     system=mf.system, template=mf.template, parameters=dict(mf.parameters))
    engine = LlamaCppEngine(spec, n_ctx=int(mf.parameters.get("num_ctx", 2048)))
    checks = tasks.get(task)
    model = checks.smoke_schema
    results = [_ask(engine, p, model, json_schema(model)) for p in checks.smoke_prompts()]
    return {"prompts": len(results), "json_ok": sum(r["json"] for r in results),
            "schema_ok": sum(r["valid"] for r in results),
            "tokens_per_s": round(sum(r["tok_s"] for r in results) / len(results), 1),
            "errors": [r["error"] for r in results if r["error"]][:3]}


def _ask(engine, messages, model, schema) -> dict[str, Any]:
    reply = engine.generate(messages, schema=schema, options=GenerationOptions(temperature=0.0, max_tokens=256))
    out = {"json": False, "valid": False, "tok_s": reply.tokens_per_s, "error": None}
    try:
        data = reply.json()
        out["json"] = True
        model.model_validate(data)
        out["valid"] = True
    except ValueError as exc:  # JSONDecodeError and pydantic's ValidationError are ValueErrors
        first = exc.errors()[0] if isinstance(exc, ValidationError) else {"msg": str(exc)[:80]}
        out["error"] = f"{'.'.join(map(str, first.get('loc', ())))}: {first['msg']}"
    return out


def verify(gguf_path: Path, f16_path: Path, mf: Modelfile, task: str, texts: list[str], *,
           f16_ppl: float | None = None, run_smoke: bool = True) -> dict[str, Any]:
    """All checks for one output file; raises VerifyFailed when it does not load or answer."""
    try:
        ppl = perplexity(gguf_path, texts)
    except (ValueError, RuntimeError) as exc:
        raise VerifyFailed(f"{gguf_path.name} does not load in llama.cpp: {exc}",
                           hint="the conversion produced a broken file; re-run `python main.py convert`") from None
    base_ppl = f16_ppl if f16_ppl is not None else (ppl if gguf_path == f16_path else perplexity(f16_path, texts))
    report: dict[str, Any] = {
        "file": gguf_path.name, "bytes": gguf_path.stat().st_size,
        "size_ratio_vs_f16": round(gguf_path.stat().st_size / f16_path.stat().st_size, 3),
        "perplexity": round(ppl, 3), "perplexity_f16": round(base_ppl, 3),
        "perplexity_delta": round(ppl - base_ppl, 3), "perplexity_delta_pct": round(100 * (ppl / base_ppl - 1), 2),
    }
    if run_smoke:
        report["smoke"] = smoke(gguf_path, mf, task)
        if report["smoke"]["json_ok"] == 0:
            raise VerifyFailed(f"{gguf_path.name} loads but answered no smoke prompt with JSON.",
                               hint="check the chat template / stop parameters in the rendered Modelfile")
    return report
