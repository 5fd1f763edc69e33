"""Copy the real-post share of the semantic layer's training data out of ../shared into backend/safety/data/.

Run once by a developer (the product never reads ../shared): `.venv/bin/python scripts/build_safety_corpus.py`.
Deterministic: posts are chosen by a hash of their id, so a rerun writes the same file. Each row:
{"id", "source", "group", "weak", "text"} where `weak` is the subreddit-derived label (never clinical gold):
  at_risk   r/SuicideWatch posts with a body (a post there is not necessarily a crisis)
  distress  mental-health subreddits (depression, anxiety, ...) and r/COVID19_support
  everyday  everyday subreddits (AskReddit, Cooking, ...)
  help      CounselChat questions (people asking a counsellor for help; not crises as a rule)
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "backend" / "safety" / "data" / "posts.jsonl.gz"
MAX_CHARS = 1200
PER_GROUP = {"at_risk": 600, "distress": 160, "everyday": 120, "help": 700, "covid": 400}
DISTRESS = ("depression", "Anxiety", "socialanxiety", "bipolar", "BipolarReddit", "ForeverAlone",
            "HorriblyDepressing", "MMFB", "offmychest", "confession", "self", "stopdrinking", "ADHD", "aspergers")
EVERYDAY = ("AskReddit", "Advice", "relationships", "personalfinance", "Fitness", "teenagers", "tifu", "Jokes",
            "Showerthoughts", "LifeProTips", "todayilearned", "GetMotivated", "Cooking", "books", "movies", "gaming",
            "happy", "RandomKindness")


def _key(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _clip(text: str) -> str:
    text = " ".join(text.replace("&amp;", "&").replace("&gt;", ">").replace("&lt;", "<").split())
    return text[:MAX_CHARS].rsplit(" ", 1)[0] if len(text) > MAX_CHARS else text


def _pick(rows: list[dict], n: int) -> list[dict]:
    return sorted(rows, key=lambda r: _key(r["id"]))[:n]


def reddit_top() -> list[dict]:
    csv.field_size_limit(sys.maxsize)
    out = []
    for name in ("SuicideWatch", *DISTRESS, *EVERYDAY):
        weak = "at_risk" if name == "SuicideWatch" else "distress" if name in DISTRESS else "everyday"
        with open(SHARED / "reddit-top-2.5m" / f"{name}.csv", newline="", encoding="utf-8") as fh:
            rows = [{"id": f"rt-{r['id']}", "source": "reddit_top", "group": name, "weak": weak,
                     "text": _clip(f"{r['title']}\n{r['selftext']}")}
                    for r in csv.DictReader(fh) if r["selftext"].strip() not in ("", "[deleted]", "[removed]")]
        out += _pick([r for r in rows if len(r["text"]) >= 40], PER_GROUP[weak])
    return out


def covid() -> list[dict]:
    with open(SHARED / "reddit-mental-health-low2020" / "COVID19_support_post.csv", newline="",
              encoding="utf-8") as fh:
        rows = [{"id": f"cv-{_key(r['post'])[:12]}", "source": "reddit_covid", "group": "COVID19_support",
                 "weak": "distress", "text": _clip(r["post"])} for r in csv.DictReader(fh)]
    return _pick([r for r in rows if len(r["text"]) >= 40], PER_GROUP["covid"])


def counselchat() -> list[dict]:
    csv.field_size_limit(sys.maxsize)
    with open(SHARED / "counsel-chat" / "20200325_counsel_chat.csv", newline="", encoding="utf-8") as fh:
        seen, rows = set(), []
        for r in csv.DictReader(fh):
            text = _clip(f"{r['questionTitle']}\n{r['questionText']}")
            if text not in seen and len(text) >= 40:
                seen.add(text)
                rows.append({"id": f"cc-{r['questionID']}", "source": "counselchat", "group": r["topic"],
                             "weak": "help", "text": text})
    return _pick(rows, PER_GROUP["help"])


def main() -> None:
    rows = reddit_top() + covid() + counselchat()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(OUT, "wb", mtime=0) as fh:
        fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8"))
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["weak"]] = counts.get(r["weak"], 0) + 1
    print(f"{len(rows)} posts -> {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KB): {counts}")


if __name__ == "__main__":
    main()
