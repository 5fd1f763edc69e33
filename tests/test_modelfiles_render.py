"""Modelfile rendering: each template family from a real HF chat template, snapshot-tested, parsed back, served."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigError
from core.modelfile import parse, render
from modelfiles.render import base_license, chat_template_of, family_for, render_modelfile

SNAPSHOTS = Path(__file__).parent / "snapshots"
# Chat templates as the families' tokenizers ship them (tokenizer_config.json "chat_template"), abridged.
CHAT_TEMPLATES = {
    "chatml": ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + "
               "'<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}"
               "{% endif %}"),
    "llama3": ("{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = "
               "'<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + "
               "'<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}"
               "{{ content }}{% endfor %}{% if add_generation_prompt %}"
               "{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}"),
    "phi3": ("{% for message in messages %}{% if message['role'] == 'system' %}{{'<|system|>\\n' + "
             "message['content'] + '<|end|>\\n'}}{% elif message['role'] == 'user' %}{{'<|user|>\\n' + "
             "message['content'] + '<|end|>\\n'}}{% elif message['role'] == 'assistant' %}{{'<|assistant|>\\n' + "
             "message['content'] + '<|end|>\\n'}}{% endif %}{% endfor %}{% if add_generation_prompt %}"
             "{{ '<|assistant|>\\n' }}{% else %}{{ eos_token }}{% endif %}"),
}


@pytest.mark.parametrize("family", sorted(CHAT_TEMPLATES))
def test_render_matches_snapshot_and_parses_back(family):
    mf = render_modelfile("triage", "/models/triage-q4_k_m.gguf", chat_template=CHAT_TEMPLATES[family],
                          license_text="Example base model license.")
    text = render(mf)
    snapshot = SNAPSHOTS / f"triage-{family}.Modelfile"
    if not snapshot.exists():  # first run writes it; review and commit
        snapshot.write_text(text, encoding="utf-8")
    assert text == snapshot.read_text(encoding="utf-8")
    back = parse(text)
    assert back.template == mf.template and back.stop == list(family_for(CHAT_TEMPLATES[family]).stop)
    assert back.parameters["temperature"] == 0 and back.parameters["num_predict"] == 320
    assert back.system.startswith("You are a careful mental-health triage assistant")


def test_go_template_renders_like_the_hf_template():
    """The Ollama TEMPLATE and the tokenizer's Jinja template give the same prompt (train = serve)."""
    from jinja2 import Template

    messages = [{"role": "system", "content": "S"}, {"role": "user", "content": "hi"}]
    for name, jinja in CHAT_TEMPLATES.items():
        family = family_for(jinja)
        hf = Template(jinja).render(messages=messages, add_generation_prompt=True, bos_token="", eos_token="")
        assert family.render(messages) == hf, name


def test_unknown_template_is_a_clear_error():
    with pytest.raises(ConfigError, match="supported families"):
        render_modelfile("triage", "/x.gguf", chat_template="{{ messages }}")


def test_license_and_chat_template_sources(tmp_path):
    (tmp_path / "LICENSE").write_text("MIT License\n")
    (tmp_path / "tokenizer_config.json").write_text('{"chat_template": "T"}')
    assert base_license(tmp_path, "fallback") == "MIT License"
    assert base_license(None, "fallback") == "fallback"
    assert chat_template_of(tmp_path) == "T"
    mf = render_modelfile("therapy-assistant", "/x.gguf", chat_template=CHAT_TEMPLATES["chatml"], license_text="")
    assert mf.license is None and mf.parameters["repeat_penalty"] == 1.1


def test_rendered_modelfile_serves_the_embedded_model(tmp_path, settings):
    """Render against the embedded GGUF's own chat template, register by file, and answer through the engine."""
    from core.embedded import embedded_gguf_path
    from core.engine.registry import ModelRegistry

    gguf = embedded_gguf_path()
    mf = render_modelfile("triage", gguf, chat_template=chat_template_of(gguf))
    settings.registry_dir.mkdir(parents=True)
    (settings.registry_dir / "triage.Modelfile").write_text(render(mf))
    engine = ModelRegistry(settings).get("triage")
    from core.engine.base import GenerationOptions

    reply = engine.generate([{"role": "user", "content": "Say hello."}], options=GenerationOptions(max_tokens=8))
    assert engine.spec.gguf_path == gguf and reply.tokens_out > 0
