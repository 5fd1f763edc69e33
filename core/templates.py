"""Chat-template families: one table gives the Ollama Go TEMPLATE, stop strings and a Python renderer."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

Message = Mapping[str, str]


@dataclass(frozen=True)
class TemplateFamily:
    name: str
    go_template: str                 # Ollama TEMPLATE (Go template syntax)
    stop: tuple[str, ...]            # PARAMETER stop values
    markers: tuple[str, ...]         # all present in an HF Jinja or Go template of this family
    turn: str                        # Python format of one turn: {role} {content}
    generation_prompt: str           # what opens the assistant's turn
    role_names: tuple[tuple[str, str], ...] = ()

    def render(self, messages: Sequence[Message], *, add_generation_prompt: bool = True) -> str:
        """The prompt text exactly as the Go template renders it for these messages."""
        roles = dict(self.role_names)
        parts = [self.turn.format(role=roles.get(m["role"], m["role"]), content=m["content"]) for m in messages]
        if add_generation_prompt:
            parts.append(self.generation_prompt)
        return "".join(parts)


CHATML = TemplateFamily(
    name="chatml",
    go_template=(
        "{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n"
        "{{ end }}<|im_start|>assistant\n"
    ),
    stop=("<|im_start|>", "<|im_end|>"),
    markers=("<|im_start|>", "<|im_end|>"),
    turn="<|im_start|>{role}\n{content}<|im_end|>\n",
    generation_prompt="<|im_start|>assistant\n",
)

LLAMA3 = TemplateFamily(
    name="llama3",
    go_template=(
        "{{- range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n"
        "{{ .Content }}<|eot_id|>{{ end }}<|start_header_id|>assistant<|end_header_id|>\n\n"
    ),
    stop=("<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"),
    markers=("<|start_header_id|>", "<|eot_id|>"),
    turn="<|start_header_id|>{role}<|end_header_id|>\n\n{content}<|eot_id|>",
    generation_prompt="<|start_header_id|>assistant<|end_header_id|>\n\n",
)

PHI3 = TemplateFamily(
    name="phi3",
    go_template=(
        "{{- range .Messages }}<|{{ .Role }}|>\n{{ .Content }}<|end|>\n{{ end }}<|assistant|>\n"
    ),
    stop=("<|end|>", "<|user|>", "<|assistant|>", "<|endoftext|>"),
    markers=("<|end|>", "<|assistant|>"),
    turn="<|{role}|>\n{content}<|end|>\n",
    generation_prompt="<|assistant|>\n",
)

FAMILIES: dict[str, TemplateFamily] = {f.name: f for f in (CHATML, LLAMA3, PHI3)}


def detect(template: str | None) -> TemplateFamily | None:
    """The family whose markers all appear in a Go or Jinja chat template, or None."""
    if not template:
        return None
    for family in FAMILIES.values():
        if all(marker in template for marker in family.markers):
            return family
    return None
