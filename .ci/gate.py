#!/usr/bin/env python3
"""Quality gate: run duikou on the seeds and the dev HTML pages, score them, compare with pinned floors.

usage: python .ci/gate.py [--shared ../shared] [--raise-floors]

Floors live in .ci/thresholds.json and only ever go up: --raise-floors lifts each floor
to the score reached now, never lowers one. A score below its floor (minus EPSILON) fails.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ROOT / ".ci" / "thresholds.json"
EPSILON = 1e-4  # float noise, not a tolerance for regressions

CORPORA = {
    # name: (raw directory relative to shared or repo, gold directory relative to shared)
    "seeds": ("repo:data/raw", "eval/gold"),
    "html": ("shared:html", "eval/gold-html"),
}


def metric_values(summary: dict) -> dict[str, float]:
    """Flatten score.py's summary to metric -> number (F1 for P/R/F blocks)."""
    out: dict[str, float] = {}
    for key, value in summary.items():
        if key == "documents" or value is None:
            continue
        if isinstance(value, dict):
            out[f"{key}_f1"] = float(value["f1"])
            out[f"{key}_p"] = float(value["p"])
            out[f"{key}_r"] = float(value["r"])
        else:
            out[key] = float(value)
    return out


def run_corpus(name: str, raw: Path, gold: Path, shared: Path, work: Path) -> dict[str, float]:
    out = work / name
    duikou = [sys.executable, "-m", "flows.cli", "run", "--raw", str(raw), "--out", str(out), "--quiet"]
    proc = subprocess.run(duikou, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        print(proc.stdout[-3000:], proc.stderr[-3000:], sep="\n", file=sys.stderr)
        raise SystemExit(f"gate: duikou run on {name} exited {proc.returncode}")
    score = subprocess.run(
        [
            sys.executable,
            str(shared / "eval" / "score.py"),
            "--out",
            str(out),
            "--gold",
            str(gold),
            "--json",
            "-v",
        ],
        capture_output=True,
        text=True,
    )
    if score.returncode != 0:
        print(score.stderr, file=sys.stderr)
        raise SystemExit(f"gate: score.py on {name} exited {score.returncode}")
    report = json.loads(score.stdout)
    (work / f"{name}.misses.json").write_text(json.dumps(report["misses"], ensure_ascii=False, indent=1))
    return metric_values(report["summary"])


def token_agreement(pages: list[Path]) -> float:
    """Share of sentences on which the pipeline's tokens (find_tokens, as a run makes them) are
    jieba's own words and tags, white space aside."""
    sys.path.insert(0, str(ROOT))
    import jieba
    import jieba.posseg

    from extractors import gazetteer, pipeline, tokens

    ref = jieba.Tokenizer()
    for word, freq, tag in gazetteer.jieba_words():
        ref.add_word(word, freq, tag)
    posseg = jieba.posseg.POSTokenizer(ref)
    same = total = 0
    for page in pages:
        try:
            clean = pipeline.clean(page.read_bytes(), name=page.name)
        except Exception:  # a page the pipeline rejects has no sentences to compare
            continue
        doc = pipeline.make_doc(clean.text, clean.sections)
        ours: dict[tuple[int, int], list[tuple[str, str]]] = {}
        for t in tokens.find_tokens(doc):
            ours.setdefault((t.section_no, t.sentence_no), []).append(
                (clean.text[t.char_start : t.char_end], t.pos)
            )
        for sent in doc.sentences:
            s = clean.text[sent.char_start : sent.char_end]
            total += 1
            ref_tokens = [(p.word, p.flag) for p in posseg.cut(s, HMM=False) if not p.word.isspace()]
            same += ours.get((sent.section_no, sent.sentence_no), []) == ref_tokens
    return same / total if total else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument(
        "--raise-floors", action="store_true", help="lift floors to today's scores (never lowers)"
    )
    args = ap.parse_args()
    shared = args.shared.resolve()
    floors: dict[str, dict[str, float]] = json.loads(FLOORS.read_text(encoding="utf-8"))
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="duikou-gate-") as tmp:
        work = Path(tmp)
        print(f"{'corpus':7} {'metric':24} {'score':>8} {'floor':>8}")
        for name, (raw_spec, gold_rel) in CORPORA.items():
            where, rel = raw_spec.split(":", 1)
            raw = (ROOT if where == "repo" else shared) / rel
            scores = run_corpus(name, raw, shared / gold_rel, shared, work)
            pages = sorted(p for p in raw.iterdir() if p.is_file())
            scores["tokens_equal_jieba"] = round(token_agreement(pages), 4)
            corpus_floors = floors.setdefault(name, {})
            for metric in sorted(set(scores) | set(corpus_floors)):
                score = scores.get(metric)
                floor = corpus_floors.get(metric)
                ok = floor is None or (score is not None and score >= floor - EPSILON)
                flag = "" if ok else "  BELOW FLOOR"
                print(
                    f"{name:7} {metric:24} {score if score is not None else 'n/a':>8} "
                    f"{floor if floor is not None else '-':>8}{flag}"
                )
                if not ok:
                    failed.append(f"{name}.{metric}: {score} < {floor}")
                if args.raise_floors and score is not None and (floor is None or score > floor):
                    corpus_floors[metric] = score
    if args.raise_floors:
        FLOORS.write_text(json.dumps(floors, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"floors written to {FLOORS}")
    if failed:
        print("gate FAILED:\n  " + "\n  ".join(failed), file=sys.stderr)
        return 1
    print("gate passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
