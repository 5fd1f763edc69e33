"""Parse and render the Modelfile subset we write: FROM, ADAPTER, TEMPLATE, SYSTEM, PARAMETER, MESSAGE, LICENSE."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ConfigError
from core.settings import REPO_ROOT

SHIPPED_DIR = REPO_ROOT / "modelfiles"          # the Modelfiles shipped in the repo
INSTRUCTIONS = {"FROM", "ADAPTER", "TEMPLATE", "SYSTEM", "PARAMETER", "MESSAGE", "LICENSE"}
# Ollama's documented PARAMETER names, with the type each value must parse as.
PARAMETER_TYPES: dict[str, type] = {
    "num_ctx": int, "num_predict": int, "temperature": float, "top_p": float, "top_k": int,
    "min_p": float, "repeat_penalty": float, "repeat_last_n": int, "seed": int, "stop": str,
    "mirostat": int, "mirostat_eta": float, "mirostat_tau": float, "num_gpu": int, "num_thread": int,
}
MESSAGE_ROLES = {"system", "user", "assistant"}
_LINE = re.compile(r"^\s*([A-Za-z]+)\s*(.*)$", re.S)


@dataclass
class Modelfile:
    """A parsed Modelfile. `parameters` maps a name to its value (a list for `stop`)."""

    from_: str
    adapter: str | None = None
    template: str | None = None
    system: str | None = None
    parameters: dict[str, object] = field(default_factory=dict)
    messages: list[tuple[str, str]] = field(default_factory=list)
    license: str | None = None
    path: Path | None = None

    @property
    def stop(self) -> list[str]:
        return list(self.parameters.get("stop", []))  # type: ignore[arg-type]


def parse_file(path: str | Path) -> Modelfile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"Modelfile not found: {path}") from None
    except (UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"Cannot read Modelfile {path}: {exc}") from None
    mf = parse(text, source=str(path))
    mf.path = path
    return mf


def shipped(name: str) -> Modelfile:
    """The Modelfile shipped in the repo for `name` (source of SYSTEM and default PARAMETERs)."""
    return parse_file(SHIPPED_DIR / f"{name}.Modelfile")


def parse(text: str, *, source: str = "<modelfile>") -> Modelfile:
    fields: dict[str, object] = {"parameters": {}, "messages": []}
    for lineno, instruction, value in _statements(text, source):
        _apply(fields, instruction, value, f"{source}:{lineno}")
    if "from_" not in fields:
        raise ConfigError(f"{source}: no FROM line (every Modelfile needs one)")
    return Modelfile(**fields)  # type: ignore[arg-type]


def _statements(text: str, source: str):
    """Yield (line number, INSTRUCTION, raw value) with triple-quoted values joined."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line, lineno = lines[i], i + 1
        i += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            raise ConfigError(f"{source}:{lineno}: cannot parse line: {line.strip()[:60]!r}")
        instruction, rest = match.group(1).upper(), match.group(2).strip()
        if instruction not in INSTRUCTIONS:
            raise ConfigError(f"{source}:{lineno}: unknown instruction {match.group(1)!r}; "
                              f"expected one of {', '.join(sorted(INSTRUCTIONS))}")
        if '"""' in rest:
            head, _, tail = rest.partition('"""')
            body = [tail]
            while '"""' not in body[-1]:
                if i >= len(lines):
                    raise ConfigError(f"{source}:{lineno}: unterminated \"\"\" string")
                body.append(lines[i])
                i += 1
            joined = "\n".join(body)
            content, _, after = joined.partition('"""')
            if after.strip():
                raise ConfigError(f"{source}:{lineno}: unexpected text after closing \"\"\"")
            yield lineno, instruction, (head + content, True)
        else:
            yield lineno, instruction, (_unquote(rest, source, lineno), False)


def _unquote(value: str, source: str, lineno: int) -> str:
    if value.startswith('"'):
        if len(value) < 2 or not value.endswith('"'):
            raise ConfigError(f"{source}:{lineno}: unterminated quoted string")
        return value[1:-1].replace('\\"', '"')
    return value


def _apply(fields: dict, instruction: str, raw: tuple[str, bool], where: str) -> None:
    value, quoted = raw
    if instruction in {"PARAMETER", "MESSAGE"} and not quoted:
        key, _, rest = value.partition(" ")
        value_rest = _unquote(rest.strip(), where, 0) if rest.strip().startswith('"') else rest.strip()
    elif instruction in {"PARAMETER", "MESSAGE"}:
        key, _, value_rest = value.partition(" ")
        value_rest = value_rest.lstrip()
    if instruction == "PARAMETER":
        _set_parameter(fields["parameters"], key.strip(), value_rest, where)
    elif instruction == "MESSAGE":
        role = key.strip().lower()
        if role not in MESSAGE_ROLES:
            raise ConfigError(f"{where}: MESSAGE role must be one of {sorted(MESSAGE_ROLES)}, got {key!r}")
        fields["messages"].append((role, value_rest))
    else:
        if not value.strip() and instruction == "FROM":
            raise ConfigError(f"{where}: FROM needs a model name or a path")
        name = {"FROM": "from_"}.get(instruction, instruction.lower())
        if name in fields and instruction != "LICENSE":
            raise ConfigError(f"{where}: {instruction} given twice")
        if instruction == "LICENSE" and "license" in fields:
            value = fields["license"] + "\n\n" + value
        fields[name] = value.strip() if instruction in {"FROM", "ADAPTER"} else value


def _set_parameter(params: dict, name: str, value: str, where: str) -> None:
    kind = PARAMETER_TYPES.get(name)
    if kind is None:
        raise ConfigError(f"{where}: unknown PARAMETER {name!r}; known: {', '.join(sorted(PARAMETER_TYPES))}")
    if value == "":
        raise ConfigError(f"{where}: PARAMETER {name} needs a value")
    if name == "stop":
        params.setdefault("stop", []).append(value)
        return
    try:
        params[name] = kind(value)
    except ValueError:
        raise ConfigError(f"{where}: PARAMETER {name} must be {kind.__name__}, got {value!r}") from None


def render(mf: Modelfile) -> str:
    """Modelfile text that `parse` reads back to an equal Modelfile (and `ollama create -f` accepts)."""
    out = [f"FROM {mf.from_}"]
    if mf.adapter:
        out.append(f"ADAPTER {mf.adapter}")
    if mf.template is not None:
        out.append(f'TEMPLATE """{mf.template}"""')
    if mf.system is not None:
        out.append(f'SYSTEM """{mf.system}"""')
    for name, value in mf.parameters.items():
        for item in (value if isinstance(value, list) else [value]):
            out.append(f"PARAMETER {name} {_quote(str(item))}")
    for role, content in mf.messages:
        out.append(f'MESSAGE {role} """{content}"""')
    if mf.license:
        out.append(f'LICENSE """{mf.license}"""')
    return "\n".join(out) + "\n"


def _quote(value: str) -> str:
    return f'"{value}"' if (not value or any(c.isspace() for c in value) or "<" in value) else value
