"""Triage on the real embedded GGUF (via the registry): the grammar compiles, the answer validates, the floor holds."""
import json

from backend.triage.service import SCHEMA, TriageConfig, triage
from core.engine.registry import ModelRegistry
from core.schemas import TriageAssessment
from core.settings import Settings


def test_real_model_answer_is_valid_and_never_below_the_floor(tmp_path):
    engine = ModelRegistry(Settings(home=tmp_path, engine="llamacpp")).get("triage")
    from llama_cpp import LlamaGrammar

    LlamaGrammar.from_json_schema(json.dumps(SCHEMA), verbose=False)       # our schema is grammar-ready
    result = triage("I have been saving my pills and I want to die.", engine=engine,
                    config=TriageConfig(logprob_threshold=None, max_tokens=200, retries=0))
    assert result.engine == "llama.cpp" and result.model == "triage" and result.attempts == 1
    assert result.severity == "crisis" and result.resources and result.floor.severity == "crisis"
    TriageAssessment.model_validate(result.assessment().model_dump())
    if result.source == "model":
        assert result.first_pass_valid is not None and isinstance(result.mean_logprob, float)
    for ev in result.evidence:
        assert "I have been saving my pills and I want to die."[ev.start:ev.end] == ev.text
