"""run(ConvertConfig) -> ConvertResult: merge, GGUF, quantize, LoRA GGUF and verify one training run."""
from __future__ import annotations

import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from convert.quantize import check_quant
from core import manifest
from core.embedded import EMBEDDED_ALIASES, embedded_gguf_path
from core.errors import ConfigError, NotFound
from core.settings import Settings


@dataclass
class ConvertConfig:
    run: str                                  # a run name under <home>/runs or a run folder
    quants: tuple[str, ...] = ("q4_k_m",)     # the first is the file that gets registered
    lora_gguf: bool = True
    verify: bool = True
    smoke: bool = True
    keep_merged: bool = True


@dataclass
class ConvertResult:
    export_dir: Path
    primary: Path
    model_name: str
    task: str
    skipped: bool = False
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def primary_entry(self) -> dict[str, Any]:
        """The report entry (quant, fallback, verify) of the registered file."""
        return next((e for e in self.report.get("files", {}).values() if e.get("file") == self.primary.name), {})


def run_dir_of(run: str, settings: Settings) -> Path:
    path = Path(run).expanduser()
    folder = path if path.is_dir() else settings.runs_dir / run
    if not (folder / "manifest.json").is_file():
        raise NotFound(f"No finished training run '{run}' (looked for {folder / 'manifest.json'}).",
                       hint="train first: `python main.py train --task triage`, then pass the run name "
                            "(e.g. triage-cpu-lora) or its folder")
    return folder


def run(cfg: ConvertConfig, settings: Settings | None = None, *, force: bool = False, log=print) -> ConvertResult:
    settings = settings or Settings.from_env()
    quants = tuple(check_quant(q) for q in cfg.quants) or ("q4_k_m",)
    run_dir = run_dir_of(cfg.run, settings)
    trained = manifest.read(run_dir / "manifest.json") or {}
    if trained.get("status") != "complete":
        raise ConfigError(f"Training run {run_dir.name} did not complete.", hint="re-run `python main.py train`")
    config = {**asdict(cfg), "quants": list(quants), "run": run_dir.name}
    key = manifest.fingerprint({"train": trained["fingerprint"]}, config, manifest.versions(manifest.TRAINING_LIBRARIES))
    export = run_dir / "export"
    done = None if force else manifest.unchanged(export / "manifest.json", key)
    if done:
        return ConvertResult(export, export / done["primary"], trained["model_name"], trained["task"], True, done)
    tmp = run_dir / ".export-tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    body = _build(cfg, quants, trained, tmp, log)
    manifest.write(tmp / "manifest.json", {"stage": "convert", "status": "complete", "fingerprint": key,
                                           "config": config, "versions": manifest.versions(manifest.TRAINING_LIBRARIES), **body})
    shutil.rmtree(export, ignore_errors=True)
    tmp.rename(export)
    return ConvertResult(export, export / body["primary"], trained["model_name"], trained["task"], False,
                         manifest.read(export / "manifest.json") or {})


def _build(cfg: ConvertConfig, quants: tuple[str, ...], trained: dict, tmp: Path, log) -> dict[str, Any]:
    from convert.gguf import hf_to_gguf, lora_to_gguf
    from convert.merge import merge
    from convert.quantize import quantize

    name, timings = trained["model_name"], {}
    base_dir, adapter_dir = Path(trained["base_dir"]), Path(trained["adapter_dir"])
    started = time.perf_counter()
    merged = merge(base_dir, adapter_dir, tmp / "merged")
    timings["merge_s"] = _lap(started)
    f16 = hf_to_gguf(merged, tmp / f"{name}-f16.gguf")
    timings["gguf_s"] = _lap(started, timings)
    log(f"merged and converted to {f16.name} ({f16.stat().st_size / 1e6:.1f} MB)")
    files: dict[str, dict[str, Any]] = {"f16": {"file": f16.name}}
    for quant in quants:
        out = tmp / f"{name}-{quant}.gguf"
        files[quant] = {"file": out.name, **quantize(f16, out, quant)}
        log(f"quantized {out.name} ({out.stat().st_size / 1e6:.1f} MB)")
    timings["quantize_s"] = _lap(started, timings)
    lora = lora_to_gguf(adapter_dir, base_dir, tmp / f"{name}-lora-f16.gguf") if cfg.lora_gguf else None
    if cfg.verify:
        _verify_all(trained, tmp, f16, files, quants, lora, smoke=cfg.smoke, log=log)
        timings["verify_s"] = _lap(started, timings)
    if not cfg.keep_merged:
        shutil.rmtree(merged)
    return {"model_name": name, "task": trained["task"], "primary": files[quants[0]]["file"],
            "f16": f16.name, "lora": lora.name if lora else None, "merged_dir": "merged" if cfg.keep_merged else None,
            "base_model": trained["base_model"], "base_dir": str(base_dir), "files": files, "timings": timings}


def _lap(started: float, timings: dict | None = None) -> float:
    return round(time.perf_counter() - started - sum((timings or {}).values()), 1)


def _verify_all(trained, tmp, f16, files, quants, lora, *, smoke, log) -> None:
    from convert.verify import perplexity, verify
    from modelfiles.render import chat_template_of, render_modelfile

    texts = validation_texts(trained)
    mf = render_modelfile(trained["model_name"], f16, chat_template=chat_template_of(tmp / "merged"))
    f16_ppl = perplexity(f16, texts)
    files["f16"]["verify"] = verify(f16, f16, mf, trained["task"], texts, f16_ppl=f16_ppl, run_smoke=False)
    for quant in quants:
        path = tmp / files[quant]["file"]
        files[quant]["verify"] = verify(path, f16, mf, trained["task"], texts, f16_ppl=f16_ppl,
                                        run_smoke=smoke and quant == quants[0])
        v = files[quant]["verify"]
        log(f"verified {path.name}: size x{v['size_ratio_vs_f16']}, perplexity {v['perplexity']} "
            f"(f16 {v['perplexity_f16']}, {v['perplexity_delta_pct']:+.2f}%)")
    base_gguf = _base_gguf(trained["base_model"])
    if lora is not None and base_gguf is not None:
        ppl = perplexity(base_gguf, texts, lora_path=lora)
        files["lora"] = {"file": lora.name, "base": str(base_gguf), "verify": {
            "perplexity_base_plus_lora": round(ppl, 3), "perplexity_delta_vs_f16": round(ppl - f16_ppl, 3)}}


def _base_gguf(base_model: str) -> Path | None:
    """The GGUF the adapter applies to at serve time (Modelfile FROM + ADAPTER), when there is one."""
    if base_model in EMBEDDED_ALIASES:
        return embedded_gguf_path()
    path = Path(base_model)
    return path if path.suffix == ".gguf" and path.is_file() else None


def validation_texts(trained: dict[str, Any]) -> list[str]:
    """The run's validation examples rendered exactly as the model sees them (prompt + answer)."""
    from core.templates import CHATML, detect
    from training.config import preset
    from training.data import load_split, system_prompt, to_examples

    cfg_dict = trained["config"]
    cfg = preset(cfg_dict["preset"], **{k: v for k, v in cfg_dict.items() if k != "preset"})
    data_dir = Path(next(p for p in trained["inputs"] if p.endswith("val.jsonl"))).parent
    records = load_split(data_dir, cfg.task, "val", limit=cfg.max_val_records, seed=cfg.seed)
    examples = to_examples(cfg.task, records, system_prompt(cfg.model_name), "val.jsonl")
    family = detect(_chat_template(trained)) or CHATML
    return [family.render(ex["prompt"] + ex["completion"], add_generation_prompt=False) for ex in examples]


def _chat_template(trained: dict[str, Any]) -> str | None:
    from modelfiles.render import chat_template_of

    return chat_template_of(Path(trained["adapter_dir"]))
