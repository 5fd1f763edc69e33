"""tasks.py: the three real tasks' accessors, the registry, and a fourth task added by writing one class."""
from __future__ import annotations

import json

import pytest

import tasks
from core.errors import BadRequest
from core.prompts import build_messages, build_session_messages
from core.schemas import SessionSummary, TriageAssessment
from evaluation.data import sample
from tests.training_fixtures import chat_records, summarize_records, triage_records
from training.data import to_examples
from training_data import card, hygiene

TRIAGE, SUMMARY, CHAT = triage_records(1)[0], summarize_records(1)[0], chat_records(1)[0]


def test_the_registry_holds_the_three_tasks_in_canonical_order():
    assert tasks.names() == ("triage", "summarize", "chat") == tuple(tasks.TASKS)
    assert [tasks.get(n).model_name for n in tasks.names()] == ["triage", "therapy-assistant", "therapy-assistant"]
    assert tasks.TRIAGE_MODEL == "triage" and tasks.ASSISTANT_MODEL == "therapy-assistant"
    assert tasks.for_model("therapy-assistant").name == "summarize" and tasks.for_model("triage").name == "triage"


def test_unknown_names_are_bad_requests_that_list_the_known_ones():
    with pytest.raises(BadRequest, match="unknown task 'poetry'") as info:
        tasks.get("poetry")
    assert info.value.hint == "choose one of triage, summarize, chat"
    with pytest.raises(BadRequest, match="unknown model 'x'") as info:
        tasks.for_model("x")
    assert info.value.hint == "choose one of triage, therapy-assistant"


def test_triage_accessors():
    task = tasks.get("triage")
    assert task.record_kind == "triage" and task.text(TRIAGE) == TRIAGE["text"]
    assert task.label(TRIAGE) == task.stratum(TRIAGE) == "crisis" and task.label({}) is None
    assert task.breakdowns([TRIAGE]) == {"severity": {"crisis": 1}, "concern_type": {"suicidal_ideation": 1},
                                         "recommended_action": {"emergency_services": 1}}
    prompt, completion = task.example(TRIAGE)
    assert prompt == build_messages(TRIAGE["text"]) and TriageAssessment.model_validate_json(completion)
    assert task.smoke_schema is TriageAssessment and len(task.smoke_prompts()) == 2


def test_summarize_accessors():
    task = tasks.get("summarize")
    assert task.record_kind == "summary" and task.text(SUMMARY) == SUMMARY["session"]
    assert task.label(SUMMARY) == task.stratum(SUMMARY) == "low"
    assert task.breakdowns([SUMMARY, {**SUMMARY, "risk": "high"}]) == {"risk": {"high": 1, "low": 1}}
    prompt, completion = task.example(SUMMARY)
    assert prompt == build_session_messages(SUMMARY["session"]) and SessionSummary.model_validate_json(completion)
    assert task.mix_in == "chat" and task.similarity and task.smoke_schema is SessionSummary


def test_chat_accessors():
    task = tasks.get("chat")
    assert task.text(CHAT) == "\n".join(m["content"] for m in CHAT["messages"])
    assert task.label(CHAT) is None and task.stratum(CHAT) == "none"
    assert task.breakdowns([CHAT, {**CHAT, "topic": "grief"}]) == {"topic": {"grief": 1, "none": 1}}
    prompt, completion = task.example(CHAT)
    assert prompt == CHAT["messages"][:-1] and completion == CHAT["messages"][-1]["content"]
    # one model, one smoke check: chat runs train therapy-assistant, which answers session summaries
    assert task.smoke_schema is SessionSummary and task.smoke_prompts() == tasks.get("summarize").smoke_prompts()


def test_validation_and_evaluation_shapes():
    assert tasks.get("triage").problem({"text": " ", "label": {}}) == "empty text"
    assert tasks.get("summarize").problem({**SUMMARY, "risk": "high"}).startswith("risk 'high' differs")
    assert tasks.get("chat").problem({"messages": [{"role": "user", "content": "hi"}]}).startswith("messages need")
    flat = {"text": "hi", "severity": "low"}
    assert tasks.get("triage").normalise(flat, 0, "src") == {"id": "src-1", "text": "hi", "label": {"severity": "low"},
                                                            "source": "src"}
    qa = tasks.get("chat").normalise({"question": "q?", "answer": "a."}, 1, "cc")
    assert qa["id"] == "cc-2" and qa["messages"][1] == {"role": "assistant", "content": "a."}
    assert tasks.get("chat").labelled({"prompt": "q?"}, "r", "s")["messages"] == [{"role": "user", "content": "q?"}]
    assert tasks.get("summarize").normalise({"text": "not a session"}, 0, "x") is None


def test_evaluation_references_name_evaluation_code_without_importing_it():
    for task in tasks.TASKS.values():
        module, _, name = task.scorer.partition(":")
        assert module == "evaluation.runners" and name.endswith("_scorer")
    assert [t.name for t in tasks.TASKS.values() if t.details] == ["triage"]


# --- a fourth task is one class --------------------------------------------------------------------
class Sentiment(tasks.Task):
    name = "sentiment"
    model_name = "sentiment"
    record_kind = "sentiment"
    label_fields = ("id", "sentence", "polarity")

    def text(self, record):
        return record["sentence"]

    def label(self, record):
        return record.get("polarity")

    def breakdowns(self, rows):
        return {"polarity": {p: sum(r["polarity"] == p for r in rows) for p in sorted({r["polarity"] for r in rows})}}

    def row(self, record):
        return {"id": record["id"], "sentence": record["sentence"], "polarity": record["polarity"],
                "source": record["source"]}

    def problem(self, row):
        return None if row.get("polarity") in {"positive", "negative"} else "invalid polarity"

    def example(self, record):
        return [{"role": "user", "content": record["sentence"]}], json.dumps({"polarity": record["polarity"]})


@pytest.fixture
def sentiment():
    task = tasks.register(Sentiment())
    yield task
    tasks.unregister("sentiment")
    assert "sentiment" not in tasks.names()


ROWS = [{"id": f"s{i}", "sentence": f"I feel {'great' if i % 2 else 'awful'} ({i})",
         "polarity": "positive" if i % 2 else "negative", "source": "toy"} for i in range(10)]


def test_a_toy_task_is_found_by_every_lookup(sentiment):
    assert tasks.get("sentiment") is sentiment and tasks.names()[-1] == "sentiment"
    assert tasks.for_model("sentiment") is sentiment
    assert tasks.get("sentiment").text(ROWS[1]) == "I feel great (1)"
    assert tasks.get("sentiment").label(ROWS[1]) == tasks.get("sentiment").stratum(ROWS[1]) == "positive"
    assert tasks.get("sentiment").breakdowns(ROWS) == {"polarity": {"negative": 5, "positive": 5}}
    assert tasks.get("sentiment").example(ROWS[0])[1] == '{"polarity": "negative"}'


def test_a_toy_task_runs_through_the_stages_unchanged(sentiment):
    splits = hygiene.stratified_split(ROWS, tasks.get("sentiment").stratum, seed=1)
    data_card = card.build("sentiment", splits, [], {}, {})
    assert data_card["breakdown"] == {"polarity": {"negative": 5, "positive": 5}}
    assert data_card["length_words"]["max"] == 4
    examples = to_examples("sentiment", ROWS[:2], "SYS", "toy")
    assert examples[1]["prompt"][1] == {"role": "user", "content": "I feel great (1)"}
    assert {r["polarity"] for r in sample("sentiment", ROWS, 2)} == {"positive", "negative"}

