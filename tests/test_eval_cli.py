"""`main.py eval` as a user runs it, and one small evaluation on the real embedded GGUF."""
from pathlib import Path

from core.engine.registry import ModelRegistry
from evaluation import evaluate

FIXTURES = Path(__file__).parent / "fixtures" / "eval"


def test_bad_input_is_a_clear_error_with_exit_code_2(cli, tmp_path):
    missing = cli("eval", "--task", "triage", "--model", "triage", "--data", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
    bad_map = tmp_path / "map.yaml"
    bad_map.write_text("severity: {Attempt: severe}\n")
    mapped = cli("eval", "--task", "triage", "--model", "triage", "--data", str(FIXTURES / "cssrs_five_level.csv"),
                 "--label-map", str(bad_map))
    assert mapped.returncode == 2 and "unknown severities: severe" in mapped.stderr
    no_split = cli("eval", "--task", "chat", "--model", "therapy-assistant")
    assert no_split.returncode == 1 and "data prepare --task chat" in no_split.stderr


def test_counselchat_export_on_the_real_embedded_model(settings, embedded_gguf, tmp_path):
    """A native CounselChat CSV, read by the data loaders, answered by the embedded GGUF (< 60 s)."""
    config = evaluate.EvalConfig(task="chat", model=str(embedded_gguf), data=str(FIXTURES / "counselchat_excerpt.csv"),
                                 limit=1, max_tokens=8, embeddings=False, out_dir=str(tmp_path / "run"))
    settings = settings.with_(n_threads=1)           # one thread: fast on a busy 2-core machine
    outcome = evaluate.run(config, settings=settings, registry=ModelRegistry(settings))
    metrics = outcome.result["metrics"]["candidate"]
    assert outcome.result["data"]["n_items"] == 1 and metrics["latency_p50_ms"] > 0
    assert 0.0 <= metrics["rouge_l"] <= 1.0 and metrics["refusal_rate"] in (0.0, 1.0)
    assert metrics["embedding_similarity"] is None and "skipped" in outcome.result["notes"][0]
    assert (outcome.folder / "report.html").exists() and (outcome.folder / "latency.png").exists()
