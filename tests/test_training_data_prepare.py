"""`data prepare`/`data import`: validation, dedupe, stratified split, data card, manifests, and the CLI."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from core.errors import NotFound
from training_data import hygiene, importer
from training_data.prepare import PrepareConfig, run

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "fixtures" / "data"


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_triage_prepare_validates_dedupes_and_cards(tmp_path):
    rows = _lines(DATA / "triage_sample.jsonl")
    rows.append({**rows[0], "id": "dup", "text": rows[0]["text"].replace("tonight", "tonight!")})
    rows.append({**rows[6], "id": "bad-action", "recommended_action": "monitoring", "severity": "crisis"})
    rows.append({**rows[6], "id": "bad-severity", "severity": "extreme"})
    rows.append({**rows[7], "id": "pii", "text": "My name is Sarah Johnson, call 555-867-5309. I'm lonely since moving."})
    source = _write_jsonl(tmp_path / "triage.jsonl", rows)
    result = run(PrepareConfig(task="triage", home=tmp_path, inputs=(str(source),)))
    out = tmp_path / "data" / "prepared" / "triage"
    assert result.out_dir == out and result.dropped == 3
    kept = [r for split in ("train", "val", "test") for r in _lines(out / f"{split}.jsonl")]
    assert len(kept) == sum(result.counts.values()) == 9
    assert set(kept[0]) == {"id", "text", "label", "source"}
    scrubbed = next(r for r in kept if r["id"] == "pii")["text"]
    assert "Sarah" not in scrubbed and "[NAME_1]" in scrubbed and "[PHONE_1]" in scrubbed
    card = json.loads((out / "data_card.json").read_text())
    reasons = {d["id"]: d["reason"] for d in card["dropped"]}
    assert reasons["dup"].startswith("near-duplicate of sample-tri-01")
    assert reasons["bad-action"].startswith("inconsistent") and reasons["bad-severity"].startswith("invalid severity")
    assert card["breakdown"]["severity"] == {"crisis": 2, "high": 2, "low": 3, "moderate": 2}
    assert {"length_words", "length_chars", "by_split", "deidentification"} <= set(card)
    deid = card["deidentification"]
    assert deid["by_kind"]["NAME"] >= 1 and deid["by_kind"]["PHONE"] >= 1
    assert all(set(s) == {"row", "field", "kind", "recognizer", "start", "length"} for s in deid["sample"])
    markdown = (out / "data_card.md").read_text()
    assert "## Per severity" in markdown and "| bad-action |" in markdown
    assert "## De-identification" in markdown and "| NAME |" in markdown and "| PHONE |" in markdown
    assert "Sarah" not in markdown and "Sarah" not in (out / "data_card.json").read_text()
    manifest = json.loads((out / "manifest.json").read_text())
    assert list(manifest["inputs"].values())[0] and manifest["versions"]["rapidfuzz"]


def test_prepare_skips_when_inputs_unchanged(tmp_path):
    config = PrepareConfig(task="triage", home=tmp_path, inputs=(str(DATA / "triage_sample.jsonl"),))
    first = run(config)
    again = run(config)
    assert not first.up_to_date and again.up_to_date and again.counts == first.counts
    assert not run(PrepareConfig(**{**config.__dict__, "seed": 7})).up_to_date


def test_summaries_prepare_checks_format_and_length(tmp_path):
    rows = _lines(DATA / "summaries_sample.jsonl")
    padding = " and more" * 12
    rows.append({**rows[0], "id": "long", "session": "A different session entirely, long notes.",
                 "summary": rows[0]["summary"].replace("Daily walk", "Daily walk" + padding)
                 .replace("stopped exercise", "stopped exercise" + padding)})
    rows.append({**rows[1], "id": "broken", "session": "Something else entirely.", "summary": "<p>no sections</p>"})
    source = _write_jsonl(tmp_path / "summaries.jsonl", rows)
    result = run(PrepareConfig(task="summarize", home=tmp_path, inputs=(str(source),)))
    out = result.out_dir
    kept = [r for split in ("train", "val", "test") for r in _lines(out / f"{split}.jsonl")]
    assert {r["id"] for r in kept} == {f"sample-sum-0{i}" for i in range(1, 5)}
    assert set(kept[0]) == {"id", "session", "summary_html", "risk", "source"}
    reasons = {d["id"]: d["reason"] for d in json.loads((out / "data_card.json").read_text())["dropped"]}
    assert reasons["long"].startswith("summary too long") and reasons["broken"].startswith("summary does not parse")


def test_chat_prepare_keeps_best_answer_per_question(tmp_path):
    importer.run(importer.ImportConfig(DATA / "counselchat_20200325_sample.csv", tmp_path))
    result = run(PrepareConfig(task="chat", home=tmp_path, min_answer_words=40))
    kept = [r for split in ("train", "val", "test") for r in _lines(result.out_dir / f"{split}.jsonl")]
    assert len(kept) == 6                                       # one answer for each of the 6 questions
    assert all([m["role"] for m in r["messages"]] == ["user", "assistant"] for r in kept)
    by_topic = {r["topic"]: r for r in kept}
    imported = _lines(tmp_path / "data" / "imported" / "counselchat-20200325-sample" / "records.jsonl")
    top = max((r for r in imported if r["question_id"] == "230"), key=lambda r: r["upvotes"])
    assert top["upvotes"] == 2 and by_topic["parenting"]["id"] == top["id"]   # the most upvoted answer wins
    card = json.loads((result.out_dir / "data_card.json").read_text())
    assert Counter(d["reason"].split(" (")[0] for d in card["dropped"])["not the best answer to its question"] == 8
    assert card["breakdown"]["topic"]["depression"] == 1


def test_chat_without_imported_data_says_how(tmp_path):
    with pytest.raises(NotFound) as err:
        run(PrepareConfig(task="chat", home=tmp_path))
    assert "data import" in err.value.hint


def test_near_duplicates_above_threshold_only():
    base = "I have not slept properly for weeks and my chest feels tight every evening at work."
    texts = [base, base.replace("weeks", "week"), "A completely different message about grief and loss.",
             base.upper(), base + " Also my appetite is gone and I cry a lot lately, most days."]
    dropped = hygiene.near_duplicates(texts, 85)
    assert set(dropped) == {1} and dropped[1][0] == 0 and dropped[1][1] > 85


def test_stratified_split_is_80_10_10_per_stratum_and_deterministic():
    rows = [{"id": f"r{i:03d}", "s": s} for i, s in enumerate(["a"] * 40 + ["b"] * 30 + ["c"] * 20 + ["d"] * 10)]
    splits = hygiene.stratified_split(rows, lambda r: r["s"], seed=1)
    for split, share in (("train", 0.8), ("val", 0.1), ("test", 0.1)):
        counts = Counter(r["s"] for r in splits[split])
        assert counts == {k: round(n * share) for k, n in {"a": 40, "b": 30, "c": 20, "d": 10}.items()}
    again = hygiene.stratified_split(list(reversed(rows)), lambda r: r["s"], seed=1)
    assert [r["id"] for r in again["test"]] == [r["id"] for r in splits["test"]]
    assert sorted(r["id"] for s in splits.values() for r in s) == sorted(r["id"] for r in rows)


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "THERAPY_HOME": str(home)}
    return subprocess.run([sys.executable, "main.py", "data", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_import_prepare_and_errors(tmp_path):
    done = _cli("import", str(DATA / "counselchat_kaggle_sample.csv"), home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "14 records, format counselchat" in done.stdout
    records = tmp_path / "data" / "imported" / "counselchat-kaggle-sample"
    assert len(_lines(records / "records.jsonl")) == 14
    assert json.loads((records / "manifest.json").read_text())["metrics"]["records"] == 14
    done = _cli("prepare", "--task", "chat", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "prepared" / "chat" / "data_card.md").exists()
    assert "up to date" in _cli("prepare", "--task", "chat", home=tmp_path).stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    done = _cli("import", str(bad), home=tmp_path)
    assert done.returncode == 2 and "unrecognised CSV columns" in done.stderr and "Traceback" not in done.stderr


def test_cli_fetch_without_kaggle_explains_offline_import(tmp_path):
    env_home = tmp_path / "nohome"
    env = {**os.environ, "THERAPY_HOME": str(tmp_path), "HOME": str(env_home), "KAGGLE_CONFIG_DIR": str(env_home)}
    env.pop("KAGGLE_USERNAME", None)
    env.pop("KAGGLE_KEY", None)
    done = subprocess.run([sys.executable, "main.py", "data", "fetch", "counselchat"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "counselchat/counselchat-data" in done.stderr and "data import" in done.stderr


def test_kaggle_credentials_detection(tmp_path):
    from training_data import fetch

    assert fetch.has_credentials({"KAGGLE_USERNAME": "u", "KAGGLE_KEY": "k", "KAGGLE_CONFIG_DIR": str(tmp_path)})
    assert not fetch.has_credentials({"KAGGLE_CONFIG_DIR": str(tmp_path)})
    (tmp_path / "kaggle.json").write_text('{"username": "u", "key": "k"}')
    assert fetch.has_credentials({"KAGGLE_CONFIG_DIR": str(tmp_path)})
    assert fetch.slug("counselchat") == "counselchat/counselchat-data" and fetch.slug("a/b") == "a/b"


@pytest.mark.parametrize("task, minimum, key", [("triage", 300, "severity"), ("summarize", 150, "risk")])
def test_shipped_sets_prepare_cleanly(tmp_path, task, minimum, key):
    result = run(PrepareConfig(task=task, home=tmp_path))
    card = json.loads((result.out_dir / "data_card.json").read_text())
    assert card["counts"]["kept"] >= minimum, card["dropped_reasons"]
    assert set(card["breakdown"][key]) == {"low", "moderate", "high", "crisis"}
    assert all(card["by_split"]["test"][key].get(s, 0) > 0 for s in ("low", "moderate", "high", "crisis"))
