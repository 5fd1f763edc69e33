"""Render a trained model's Modelfile from its chat template, the shipped SYSTEM prompt and the base LICENSE."""
from __future__ import annotations

import json
from pathlib import Path

from core.errors import ConfigError
from core.modelfile import SHIPPED_DIR, Modelfile, shipped
from core.templates import FAMILIES, TemplateFamily, detect

DEFAULT_PARAMETERS = {"temperature": 0.2, "num_ctx": 4096, "num_predict": 512}
LICENSE_FILES = ("LICENSE", "LICENSE.md", "LICENSE.txt")


def chat_template_of(source: Path) -> str | None:
    """The Jinja chat template of an HF folder (chat_template.jinja / tokenizer_config.json) or a GGUF."""
    if source.is_dir():
        jinja = source / "chat_template.jinja"
        if jinja.is_file():
            return jinja.read_text(encoding="utf-8")
        config = source / "tokenizer_config.json"
        if config.is_file():
            return json.loads(config.read_text(encoding="utf-8")).get("chat_template")
        return None
    return gguf_metadata(source).get("tokenizer.chat_template")


def gguf_metadata(path: Path, keys: tuple[str, ...] = ("tokenizer.chat_template", "general.license",
                                                        "general.name")) -> dict[str, str]:
    from gguf import GGUFReader

    reader = GGUFReader(str(path))
    out = {}
    for key in keys:
        field = reader.get_field(key)
        if field is not None:
            out[key] = field.contents()
    return out


def family_for(chat_template: str | None, source: str = "the model") -> TemplateFamily:
    family = detect(chat_template)
    if family is None:
        raise ConfigError(f"The chat template of {source} is not one we can translate to an Ollama TEMPLATE.",
                          hint=f"supported families: {', '.join(FAMILIES)}; write a TEMPLATE by hand")
    return family


def base_license(base_dir: Path | None, fallback: str | None) -> str | None:
    """The base model's LICENSE file text when its folder has one, else the fallback."""
    for name in LICENSE_FILES:
        if base_dir is not None and (base_dir / name).is_file():
            return (base_dir / name).read_text(encoding="utf-8").strip()
    return fallback


def render_modelfile(name: str, gguf_path: str | Path, *, chat_template: str | None,
                     license_text: str | None = None, system: str | None = None,
                     parameters: dict[str, object] | None = None) -> Modelfile:
    """A Modelfile for `name` serving gguf_path; SYSTEM and PARAMETERs default to the shipped Modelfile's."""
    base = shipped(name) if (SHIPPED_DIR / f"{name}.Modelfile").is_file() else None
    family = family_for(chat_template, str(gguf_path))
    params: dict[str, object] = dict(DEFAULT_PARAMETERS)
    if base is not None:
        params.update({k: v for k, v in base.parameters.items() if k != "stop"})
    params.update(parameters or {})
    params["stop"] = list(family.stop)
    return Modelfile(from_=str(gguf_path), template=family.go_template,
                     system=system if system is not None else (base.system if base else None),
                     parameters=params, license=_license(license_text, base))


def _license(text: str | None, base: Modelfile | None) -> str | None:
    """None: the shipped Modelfile's LICENSE (the embedded base); "": no LICENSE line."""
    if text is None:
        return base.license if base else None
    return text or None
