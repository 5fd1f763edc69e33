"""Modelfile parsing and rendering, including malformed input."""
import pytest

from core.errors import ConfigError
from core.modelfile import parse, parse_file, render

GOOD = '''# comment
FROM ./model.gguf
TEMPLATE """{{ range .Messages }}<|im_start|>{{ .Role }}
{{ .Content }}<|im_end|>
{{ end }}<|im_start|>assistant
"""
SYSTEM You are kind.
PARAMETER temperature 0.2
PARAMETER num_ctx 2048
PARAMETER stop "<|im_end|>"
PARAMETER stop <|im_start|>
MESSAGE user Hello there
MESSAGE assistant """Hi! How are you?"""
LICENSE """Apache-2.0"""
'''


def test_parse_all_instructions():
    mf = parse(GOOD)
    assert mf.from_ == "./model.gguf"
    assert mf.template.startswith("{{ range .Messages }}") and mf.template.endswith("assistant\n")
    assert mf.system == "You are kind."
    assert mf.parameters == {"temperature": 0.2, "num_ctx": 2048, "stop": ["<|im_end|>", "<|im_start|>"]}
    assert mf.messages == [("user", "Hello there"), ("assistant", "Hi! How are you?")]
    assert mf.license == "Apache-2.0"


def test_render_round_trips():
    mf = parse(GOOD)
    assert parse(render(mf)) == mf


@pytest.mark.parametrize("text, fragment", [
    ("PARAMETER temperature 0.1\n", "no FROM"),
    ("FROM x\nFROBNICATE y\n", ":2: unknown instruction 'FROBNICATE'"),
    ("FROM x\nPARAMETER temperature hot\n", ":2: PARAMETER temperature must be float"),
    ("FROM x\nPARAMETER warp_speed 9\n", ":2: unknown PARAMETER 'warp_speed'"),
    ('FROM x\nSYSTEM """never closed\nstill going\n', ':2: unterminated """ string'),
    ("FROM x\nMESSAGE robot hi\n", ":2: MESSAGE role must be one of"),
    ("FROM x\nFROM y\n", ":2: FROM given twice"),
    ("FROM x\nPARAMETER num_ctx\n", ":2: PARAMETER num_ctx needs a value"),
    ('FROM x\nSYSTEM "unclosed\n', ":2: unterminated quoted string"),
])
def test_malformed_modelfiles_name_the_line(text, fragment):
    with pytest.raises(ConfigError) as err:
        parse(text, source="bad.Modelfile")
    assert fragment in str(err.value)
    assert str(err.value).startswith("bad.Modelfile")


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        parse_file(tmp_path / "nope.Modelfile")


def test_shipped_modelfiles_parse():
    for name in ("triage", "therapy-assistant"):
        mf = parse_file(f"modelfiles/{name}.Modelfile")
        assert mf.from_ == "smollm2:135m" and mf.system and mf.license
        assert "num_ctx" in mf.parameters and mf.stop
