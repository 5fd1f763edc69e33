"""`main.py triage`: one message, JSONL batch mode, bad input (exit 2), crises in the review queue."""
import json

from core.schemas import TriageAssessment
from core.settings import Settings


def test_one_message_prints_the_result_json(cli):
    done = cli("triage", "--no-model", "I've been giving away my things and saying my goodbyes.")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["severity"] == "crisis" and result["needs_review"] and result["resources"]
    TriageAssessment.model_validate({k: result[k] for k in TriageAssessment.model_fields})


def test_batch_mode_keeps_ids_and_queues_crises(cli, tmp_path):
    rows = [{"id": "a", "text": "Exams are stressing me out."}, {"id": 7, "text": "I want to end my life."},
            {"id": "c", "text": "This deadline is killing me."}]
    source, target = tmp_path / "in.jsonl", tmp_path / "out" / "out.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    done = cli("triage", "--no-model", "--input", str(source), "--output", str(target))
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [o["id"] for o in out] == ["a", 7, "c"]
    assert [o["severity"] for o in out] == ["low", "crisis", "low"]
    from backend.store import list_review_items, open_store

    with open_store(Settings(home=cli.home)).session() as db:
        items = list_review_items(db)
    assert len(items) == 1 and items[0].payload["text"] == rows[1]["text"]


def test_bad_input_exits_2_and_writes_nothing(cli, tmp_path):
    target = tmp_path / "out.jsonl"
    cases = {"extra.jsonl": '{"id": 1, "text": "hi", "severity": "low"}\n',
             "notjson.jsonl": '{"id": 1, "text": "ok"}\nnot json\n',
             "nonstring.jsonl": '{"id": 1, "text": 5}\n',
             "empty_text.jsonl": '{"id": 1, "text": ""}\n',
             "too_long.jsonl": json.dumps({"id": 1, "text": "a" * 8001}) + "\n"}
    for name, content in cases.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
        done = cli("triage", "--no-model", "--input", str(tmp_path / name), "--output", str(target))
        assert done.returncode == 2, (name, done.stderr)
        assert "Traceback" not in done.stderr and not target.exists()
    for args in (("triage",), ("triage", ""), ("triage", "hi", "--input", str(tmp_path / "extra.jsonl")),
                 ("triage", "--input", str(tmp_path / "missing.jsonl"), "--output", str(target))):
        done = cli(*args)
        assert done.returncode == 2 and "Traceback" not in done.stderr, args
