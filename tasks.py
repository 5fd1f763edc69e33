"""The tasks (triage, summarize, chat): one Task each, owning its records, prompts and per-stage facts."""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from core.errors import BadRequest
from core.model_names import ASSISTANT_MODEL, TRIAGE_MODEL
from core.prompts import build_messages, build_session_messages
from core.schemas import SUMMARY_MAX_WORDS, SessionSummary, TriageAssessment, consistency_problems, visible_words

__all__ = ["ASSISTANT_MODEL", "TRIAGE_MODEL", "TASKS", "Task", "for_model", "get", "names", "qa_messages", "register",
           "unregister"]

Row = dict[str, Any]
Messages = list[dict[str, str]]
Example = tuple[Messages, str]

# Fictional, non-identifying smoke inputs (convert/verify): one ordinary and one urgent message / session note.
SMOKE_TRIAGE = ("Work has been overwhelming and I can't switch off at night.",
                "I've saved up my pills and I plan to take them all tonight.")
SMOKE_SESSIONS = ("Client reports low mood for three weeks, poor sleep and withdrawal from friends. "
                  "Denies suicidal thoughts. Agreed to weekly sessions and a sleep diary.",)


class Task:
    """One task. Subclass it, set the facts and write the accessors, then `register` an instance."""

    name: str = ""
    model_name: str = ""                      # the registry model it trains and is served by
    record_kind: str = ""                     # the `kind` of the loaded records `data prepare` keeps
    dataset: str | None = None                # shipped file in training_data/datasets/; None: imported data
    qa_answers: bool = False                  # prepare: Q&A records also become rows (the best answer each)
    scrub_fields: tuple[str, ...] = ()        # row fields PII-scrubbed (message contents always are)
    label_fields: tuple[str, ...] = ()        # label map: (id, the required input, labels...)
    severity_field: str | None = None         # label map: the field mapped onto our severities
    mix_in: str | None = None                 # train: the task whose train split chat_fraction mixes in
    smoke_schema: type[BaseModel] | None = None   # convert/verify: the schema the smoke answers must fit
    scorer: str = ""                          # eval: "module:function" scorer factory (evaluation resolves it)
    metric_table: str = ""                    # eval: the key of its table in evaluation.scores.TABLES
    details: str | None = None                # eval: "module:function" of non-bootstrapped details, if any
    similarity: bool = False                  # eval: ROUGE-L / embedding similarity of output vs reference
    post_process: str | None = None           # eval: "module:function" run on each system's rows before metrics
    patients: bool = False                    # eval: accepts a multi-visit patients file (--patients)

    def text(self, record: Row) -> str:
        """The record's text (data card lengths, near-duplicate detection)."""
        raise NotImplementedError

    def label(self, record: Row) -> Any:
        """The record's class (None when it has none): evaluation samples across it."""
        raise NotImplementedError

    def stratum(self, record: Row) -> Any:
        """The value the prepared split is stratified on (a validated row)."""
        return self.label(record)

    def breakdowns(self, rows: list[Row]) -> dict[str, dict[str, int]]:
        """Data card: counts per value of each label field."""
        raise NotImplementedError

    def row(self, record: Row) -> Row:
        """The prepared row of a loaded record of `record_kind`."""
        raise NotImplementedError

    def problem(self, row: Row) -> str | None:
        """Why a prepared row is unusable, or None (may normalise the row in place)."""
        raise NotImplementedError

    def example(self, record: Row) -> Example:
        """(prompt messages, completion) for training, with the prompts the service uses."""
        raise NotImplementedError

    def normalise(self, record: Row, index: int, source: str) -> Row | None:
        """Evaluation: a prepared row from our prepared or shipped shapes; None for another task's record."""
        raise NotImplementedError

    def labelled(self, values: dict[str, Any], rid: str, source: str) -> Row:
        """Evaluation: a prepared row from the label-mapped columns of an external row."""
        raise NotImplementedError

    def smoke_prompts(self) -> list[Messages]:
        """convert/verify: the prompts a converted model must answer with `smoke_schema`."""
        raise NotImplementedError


def _count(values: Iterable[Any]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))


def _origin(record: Row, index: int, source: str) -> tuple[str, Any]:
    return str(record.get("id", f"{source}-{index + 1}")), record.get("source", source)


def _pydantic_reason(exc: ValidationError) -> str:
    first = exc.errors()[0]
    return f"invalid {'.'.join(str(p) for p in first['loc']) or 'record'}: {first['msg']}"


def qa_messages(question: str, answer: str | None = None) -> Messages:
    """A question (and its answer, when there is one) as chat turns."""
    turns = [{"role": "user", "content": question}]
    return turns + [{"role": "assistant", "content": answer}] if answer is not None else turns


# --- triage -------------------------------------------------------------------------------------
class Triage(Task):
    name = "triage"
    model_name = TRIAGE_MODEL
    record_kind = "triage"
    dataset = "triage.jsonl"
    LABEL_KEYS = ("severity", "concern_type", "recommended_action", "risk_flags")
    scrub_fields = ("text",)
    label_fields = ("id", "text", *LABEL_KEYS)
    severity_field = "severity"
    smoke_schema = TriageAssessment
    scorer = "evaluation.runners:triage_scorer"
    metric_table = "triage"
    details = "evaluation.scores:triage_details"        # confusion matrices, per-class precision/recall

    def text(self, record: Row) -> str:
        return record["text"]

    def label(self, record: Row) -> Any:
        return (record.get("label") or {}).get("severity")

    def breakdowns(self, rows: list[Row]) -> dict[str, dict[str, int]]:
        return {key: _count(r["label"][key] for r in rows) for key in self.LABEL_KEYS[:3]}

    def row(self, record: Row) -> Row:
        return {"id": record["id"], "text": record["text"], "label": record["label"], "source": record["source"]}

    def problem(self, row: Row) -> str | None:
        """Normalises row['label'] in place."""
        if not str(row.get("text") or "").strip():
            return "empty text"
        try:
            label = TriageAssessment.model_validate(row.get("label") or {})
        except ValidationError as exc:
            return _pydantic_reason(exc)
        problems = consistency_problems(label.severity, label.recommended_action)
        if problems:
            return "inconsistent: " + problems[0]
        row["label"] = label.model_dump()
        return None

    def example(self, record: Row) -> Example:
        answer = TriageAssessment.model_validate(record["label"])
        return build_messages(record["text"]), answer.model_dump_json()

    def normalise(self, record: Row, index: int, source: str) -> Row | None:
        if "text" not in record:
            return None
        label = record.get("label") or {k: record[k] for k in self.LABEL_KEYS if k in record}
        rid, src = _origin(record, index, source)
        return {"id": rid, "text": record["text"], "label": label, "source": src} if label else None

    def labelled(self, values: dict[str, Any], rid: str, source: str) -> Row:
        flags = values.get("risk_flags")
        if isinstance(flags, str):
            values["risk_flags"] = [f.strip() for f in flags.replace(";", ",").split(",") if f.strip()]
        label = {k: values[k] for k in self.LABEL_KEYS if k in values}
        return {"id": rid, "text": str(values["text"]), "label": label, "source": source}

    def smoke_prompts(self) -> list[Messages]:
        return [build_messages(t) for t in SMOKE_TRIAGE]


# --- session summaries --------------------------------------------------------------------------
class Summarize(Task):
    name = "summarize"
    model_name = ASSISTANT_MODEL
    record_kind = "summary"
    dataset = "summaries.jsonl"
    scrub_fields = ("session", "summary_html")
    label_fields = ("id", "session", "summary_html", "risk")
    severity_field = "risk"
    mix_in = "chat"
    smoke_schema = SessionSummary
    scorer = "evaluation.runners:summary_scorer"
    metric_table = "summarize"
    similarity = True
    post_process = "evaluation.runners:add_trends"
    patients = True

    def text(self, record: Row) -> str:
        return record["session"]

    def label(self, record: Row) -> Any:
        return record.get("risk")

    def breakdowns(self, rows: list[Row]) -> dict[str, dict[str, int]]:
        return {"risk": _count(r["risk"] for r in rows)}

    def row(self, record: Row) -> Row:
        return {"id": record["id"], "session": record["session"], "summary_html": record["summary_html"],
                "risk": record.get("risk"), "source": record["source"]}

    def problem(self, row: Row) -> str | None:
        """Fills row['risk'] from the summary when absent."""
        if not str(row.get("session") or "").strip():
            return "empty session"
        html = str(row.get("summary_html") or "")
        try:
            summary = SessionSummary.from_html(html)
        except ValidationError as exc:
            return "summary does not parse: " + _pydantic_reason(exc)
        words = visible_words(html)
        if words > SUMMARY_MAX_WORDS:
            return f"summary too long ({words} > {SUMMARY_MAX_WORDS} words)"
        if row.get("risk") and row["risk"] != summary.risk:
            return f"risk '{row['risk']}' differs from the summary's '{summary.risk}'"
        row["risk"] = summary.risk
        return None

    def example(self, record: Row) -> Example:
        answer = SessionSummary.from_html(record["summary_html"])
        return build_session_messages(record["session"]), answer.model_dump_json()

    def normalise(self, record: Row, index: int, source: str) -> Row | None:
        if "session" not in record:
            return None
        rid, src = _origin(record, index, source)
        summary = record.get("summary_html") or record.get("summary")
        return {"id": rid, "session": record["session"], "summary_html": summary, "risk": record.get("risk"),
                "source": src}

    def labelled(self, values: dict[str, Any], rid: str, source: str) -> Row:
        return {"id": rid, "session": str(values["session"]), "summary_html": values.get("summary_html"),
                "risk": values.get("risk"), "source": source}

    def smoke_prompts(self) -> list[Messages]:
        return [build_session_messages(s) for s in SMOKE_SESSIONS]


# --- chat ---------------------------------------------------------------------------------------
class Chat(Task):
    name = "chat"
    model_name = ASSISTANT_MODEL
    record_kind = "chat"
    qa_answers = True
    label_fields = ("id", "prompt", "reply", "topic")
    smoke_schema = Summarize.smoke_schema                 # the model it shares is checked as summarize's is
    smoke_prompts = Summarize.smoke_prompts
    scorer = "evaluation.runners:chat_scorer"
    metric_table = "chat"
    similarity = True

    def text(self, record: Row) -> str:
        return "\n".join(m["content"] for m in record["messages"])

    def label(self, record: Row) -> Any:
        return record.get("topic")

    def stratum(self, record: Row) -> Any:
        return self.label(record) or "none"

    def breakdowns(self, rows: list[Row]) -> dict[str, dict[str, int]]:
        return {"topic": _count(self.stratum(r) for r in rows)}

    def row(self, record: Row) -> Row:
        return {"id": record["id"], "messages": record["messages"], "source": record["source"],
                "topic": record.get("topic")}

    def problem(self, row: Row) -> str | None:
        messages = row.get("messages") or []
        if len(messages) < 2 or any(m.get("role") not in {"system", "user", "assistant"} for m in messages):
            return "messages need user and assistant turns with valid roles"
        if not all(str(m.get("content") or "").strip() for m in messages):
            return "empty message"
        if messages[-1]["role"] != "assistant":
            return "conversation must end with an assistant turn"
        return None

    def example(self, record: Row) -> Example:
        messages = [{"role": m["role"], "content": m["content"]} for m in record["messages"]]
        if not messages or messages[-1]["role"] != "assistant":
            raise ValueError("a chat record must end with an assistant turn")
        return [m for m in messages[:-1] if m["role"] != "system"], messages[-1]["content"]

    def normalise(self, record: Row, index: int, source: str) -> Row | None:
        rid, src = _origin(record, index, source)
        if isinstance(record.get("messages"), list):
            messages = record["messages"]
        elif record.get("question") and record.get("answer"):       # Q&A sets (CounselChat...)
            messages = qa_messages(record["question"], record["answer"])
        else:
            return None
        return {"id": rid, "messages": messages, "source": src, "topic": record.get("topic")}

    def labelled(self, values: dict[str, Any], rid: str, source: str) -> Row:
        messages = qa_messages(str(values["prompt"]), str(values["reply"]) if values.get("reply") else None)
        return {"id": rid, "messages": messages, "source": source, "topic": values.get("topic")}


# --- the registry -------------------------------------------------------------------------------
TASKS: dict[str, Task] = {}


def register(task: Task) -> Task:
    """Add (or replace) a task; every stage finds it by name from then on."""
    TASKS[task.name] = task
    return task


def unregister(name: str) -> None:
    TASKS.pop(name, None)


for _task in (Triage(), Summarize(), Chat()):          # the canonical order
    register(_task)


def names() -> tuple[str, ...]:
    return tuple(TASKS)


def get(name: str) -> Task:
    try:
        return TASKS[name]
    except KeyError:
        raise BadRequest(f"unknown task '{name}'", hint=f"choose one of {', '.join(TASKS)}") from None


def for_model(model_name: str) -> Task:
    """The task a build trains `model_name` on: the first registered for it (summarize for therapy-assistant)."""
    found = next((t for t in TASKS.values() if t.model_name == model_name), None)
    if found is None:
        models = dict.fromkeys(t.model_name for t in TASKS.values())
        raise BadRequest(f"unknown model '{model_name}'", hint=f"choose one of {', '.join(models)}")
    return found
