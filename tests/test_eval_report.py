"""The report folder: metrics.json, report.md, report.html with plots; clinical text only when asked."""
import json

from core.settings import Settings
from evaluation import evaluate, report

SECRET = "my neighbour Alice knows about the pills"


def rows(sev_pred, latency):
    gold = ["crisis", "high", "low", "moderate"]
    return [{"id": f"t{i}", "gold": {"severity": g, "concern_type": "anxiety", "risk_flags": []},
             "pred": {"severity": p, "concern_type": "anxiety", "recommended_action": "scheduled_therapist",
                      "risk_flags": []}, "floor": None, "valid_first": True, "latency_ms": latency + i,
             "evidence_flags": [], "raw": SECRET}
            for i, (g, p) in enumerate(zip(gold, sev_pred))]


def test_report_folder_has_metrics_markdown_html_and_plots(tmp_path):
    config = evaluate.EvalConfig(task="triage", model="cand", baseline="base", n_resamples=200)
    data = tmp_path / "d.jsonl"
    data.write_text("{}\n")
    both = {"candidate": rows(["crisis", "high", "low", "moderate"], 100),
            "baseline": rows(["high", "high", "low", "low"], 300)}
    result = evaluate._result(config, data, [{}] * 4, both, [])
    assert result["metrics"]["candidate"]["severity_accuracy"] == 1.0
    assert result["metrics"]["baseline"]["severity_accuracy"] == 0.5
    latency = next(c for c in result["comparisons"] if c["metric"] == "latency_p50_ms")
    assert latency["diff"] == -200 and latency["verdict"] == "better"
    paths = report.write(result, both, tmp_path / "run")
    pngs = sorted(p.name for p in (tmp_path / "run").glob("*.png"))
    assert pngs == ["confusion_baseline.png", "confusion_candidate.png", "confusion_with_floor_baseline.png",
                    "confusion_with_floor_candidate.png", "latency.png", "per_class.png"]
    saved = json.loads(paths["metrics"].read_text())
    assert saved["details"]["candidate"]["confusion"][3][3] == 1 and saved["details"]["baseline"]["confusion"][1][0] == 1
    md, html = paths["markdown"].read_text(), paths["html"].read_text()
    assert "| severity_accuracy | 0.500 | 1.000 |" in md and "data:image/png;base64," in html
    assert SECRET not in md + html + paths["metrics"].read_text()
    with_examples = report.write(result, both, tmp_path / "ex", examples=[{"id": "t0", "text": SECRET}])
    assert SECRET in with_examples["markdown"].read_text()


def test_table_without_baseline_lists_values():
    result = {"metrics": {"candidate": {"rouge_l": 0.25, "latency_p50_ms": 1234.4}}, "comparisons": []}
    assert report.table_rows(result) == (["metric", "value"], [["rouge_l", "0.250"], ["latency_p50_ms", "1234"]])


def test_diff_formatting():
    comp = {"metric": "rouge_l", "diff": 0.05, "low": -0.01, "high": 0.1}
    assert report.fmt_diff(comp) == "+0.050 [-0.010, +0.100]"


def test_run_folder_is_timestamped_under_home(tmp_path):
    folder = evaluate._run_folder(Settings(home=tmp_path), "triage")
    assert folder.parent == tmp_path / "eval" and folder.name.endswith("-triage")
