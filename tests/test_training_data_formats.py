"""Loaders: every native format on real sample files, zips, folders, and malformed inputs."""
from __future__ import annotations

import csv
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from core.errors import BadRequest, NotFound, ValidationFailed
from training_data import formats

DATA = Path(__file__).parent / "fixtures" / "data"


@pytest.mark.parametrize("name, fmt, n, kind", [
    ("counselchat_kaggle_sample.csv", "counselchat", 14, "qa"),
    ("counselchat_20200325_sample.csv", "counselchat", 14, "qa"),
    ("counseling_conversations_sample.json", "counseling_conversations", 3, "qa"),
    ("counseling_conversations_sample.jsonl", "counseling_conversations", 4, "qa"),
    ("mental_health_faq_sample.csv", "mental_health_faq", 3, "qa"),
    ("triage_sample.jsonl", "triage", 8, "triage"),
    ("summaries_sample.jsonl", "summary", 4, "summary"),
    ("chat_sample.jsonl", "chat", 2, "chat"),
])
def test_each_native_format_is_detected(name, fmt, n, kind):
    detected, records = formats.load(DATA / name)
    assert detected == fmt
    assert len(records) == n
    assert {r["kind"] for r in records} == {kind}
    assert len({r["id"] for r in records}) == n
    assert all(r["source"] == name for r in records)


def test_counselchat_layouts_normalize_alike():
    _, kaggle = formats.load(DATA / "counselchat_kaggle_sample.csv")
    _, scrape = formats.load(DATA / "counselchat_20200325_sample.csv")
    first = kaggle[0]
    assert first["question"].startswith("Escalating disagreements between mother and wife\n")
    assert "<p>" not in first["answer"] and "&#34;" not in first["answer"] and '"triangulation"' in first["answer"]
    assert first["topic"] == "family-conflict" and first["upvotes"] == 0 and first["views"] is None
    assert scrape[0]["topic"] == "depression" and scrape[0]["views"] is not None
    assert {"therapistName", "therapistInfo"}.isdisjoint(first) and "Sherry Katz" not in json.dumps(scrape)


def test_triage_and_summary_fields():
    _, triage = formats.load(DATA / "triage_sample.jsonl")
    assert triage[0]["label"]["severity"] == "crisis" and triage[0]["synthetic"] is True
    _, summaries = formats.load(DATA / "summaries_sample.jsonl")
    assert summaries[0]["summary_html"].startswith("<b>Chief Complaint:</b>")


def test_field_longer_than_default_csv_limit(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["questionID", "questionTitle", "questionText", "answerText", "upvotes"])
        writer.writerow(["q1", "Title", "Question?", "word " * 60_000, "3"])
    _, records = formats.load(path)
    assert len(records[0]["answer"]) > 131_072


def test_kaggle_zip_and_folder(tmp_path):
    archive = tmp_path / "counselchat-data.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(DATA / "counselchat_kaggle_sample.csv", "counselchat-data.csv")
        zf.writestr("__MACOSX/._counselchat-data.csv", b"\x00\x05junk")
    fmt, records = formats.load(archive)
    assert fmt == "counselchat" and len(records) == 14
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(DATA / "mental_health_faq_sample.csv", folder)
    shutil.copy(DATA / "counseling_conversations_sample.jsonl", folder)
    fmt, records = formats.load(folder)
    assert fmt == "counseling_conversations+mental_health_faq" and len(records) == 7


def test_wrong_columns_lists_expected(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,score\nx,1\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as err:
        formats.load(path)
    assert "questionID" in err.value.hint and "Question_ID" in err.value.hint
    path = tmp_path / "other.jsonl"
    path.write_text('{"prompt": "x", "completion": "y"}\n', encoding="utf-8")
    with pytest.raises(ValidationFailed, match="unrecognised JSON"):
        formats.load(path)


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"  \n", "empty"),
    ("Question_ID,Questions,Answers\n1,caf\xe9,ok\n".encode("latin-1"), "not UTF-8"),
    (b'{"Context": "a", "Response": ', "invalid JSON"),
    (b"[1, 2]", "JSON objects"),
])
def test_malformed_files(tmp_path, content, message):
    path = tmp_path / ("bad.csv" if b"Question_ID" in content else "bad.jsonl")
    path.write_bytes(content)
    with pytest.raises(BadRequest, match=message):
        formats.load(path)


def test_truncated_zip(tmp_path):
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(DATA / "counselchat_kaggle_sample.csv", "counselchat-data.csv")
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(BadRequest, match="corrupt or truncated zip"):
        formats.load(truncated)


def test_missing_path_row_without_keys_and_unsupported_type(tmp_path):
    with pytest.raises(NotFound):
        formats.load(tmp_path / "nope.csv")
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"Context": "a", "Response": "b"}\n{"Context": "only"}\n', encoding="utf-8")
    with pytest.raises(ValidationFailed, match="row 2 lacks Response"):
        formats.load(rows)
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")
    with pytest.raises(BadRequest, match="unsupported"):
        formats.load(other)
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    with pytest.raises(BadRequest, match="no .csv"):
        formats.load(empty_dir)
