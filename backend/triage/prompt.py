"""The triage prompt, built once here and imported by training so that train = serve."""
from __future__ import annotations

from typing import Iterable, Protocol

PROMPT_VERSION = "triage-v1"


class Note(Protocol):
    id: str
    title: str
    text: str


def _fenced(text: str) -> str:
    """The message between markers it cannot close itself (it is data, never instructions)."""
    return text.replace("<<<", "< < <").replace(">>>", "> > >")


def build_messages(text: str, context: Iterable[Note] | None = None) -> list[dict[str, str]]:
    """The user turn for one message; the SYSTEM prompt comes from the `triage` Modelfile.

    `context` (retrieval fallback only) adds vetted library notes before the message.
    """
    parts = []
    notes = list(context or ())
    if notes:
        lines = "\n".join(f"[{n.id}] {n.title}: {n.text}" for n in notes)
        parts.append(f"Reference notes (vetted, for background only):\n{lines}")
    parts.append(f"Message to triage:\n<<<\n{_fenced(text)}\n>>>")
    return [{"role": "user", "content": "\n\n".join(parts)}]


def retry_message(problems: list[str]) -> dict[str, str]:
    """The follow-up turn after an answer that failed validation."""
    listed = "; ".join(problems[:5])
    return {"role": "user", "content": f"That answer was not valid ({listed}). Reply again with one corrected "
                                       "JSON object only; follow_up_question must end with '?'."}
