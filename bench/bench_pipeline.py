"""The whole pipeline on a large realistic corpus, against jieba.lcut and readability-lxml alone.

usage: python bench/bench_pipeline.py [--mb 200] [--files 10000] [--rounds 3] [--work DIR] [--keep]
                                      [--pages DIR]

Builds a corpus of text dumps and HTML pages (at least --mb MB and 10,000 files) from
the sample corpus and the test fixtures: paragraphs are drawn at random, numbers, years
and place names are varied, and site furniture (menus, breadcrumbs, toolbars, footers)
is put around them, so no two documents are alike. The pages carry a real page's weight
of markup (bench/portal_pages.py; with --pages the table compares their median counts
with real pages'). Then it runs `duikou run` as a user would (a fresh process each time)
and prints one table:

- MB/s and pages/s of the whole pipeline, per core, on the text dumps and on the pages;
- each stage's share of the time (read, clean, extract, write);
- peak RSS of the whole process tree on a quarter of the corpus and on all of it (and PSS,
  which counts a page the workers share with their forkserver once, not once in each);
- in the same run on the same inputs: jieba.lcut alone and readability-lxml alone;
- 1 worker against 2, and a re-run with nothing changed.

Ratios are against baselines measured in the same run on the same machine, never
against numbers from elsewhere. This machine's speed drifts by 10-20% within minutes, so the
throughput ratios are paired: `--rounds` times, the baseline is timed, then `duikou run`, then
the baseline again; each round's ratio is against the faster of the two readings beside its
run, and the table gives every round's ratio and their median.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import portal_pages  # noqa: E402

FURNITURE_HEAD = [
    "首页 新闻中心 政务公开 政务服务 互动交流 专题专栏",
    "当前位置：首页 > 政务公开 > 工作动态",
    "【字号：大 中 小】 【打印本页】 【关闭窗口】",
    "首页 | 要闻 | 时政 | 社会 | 财经 | 图片 | 视频",
]
FURNITURE_TAIL = [
    "扫一扫在手机打开当前页",
    "上一篇：{title}",
    "下一篇：{title}",
    "相关新闻",
    "版权所有：某某市人民政府办公室 网站标识码：{n} 苏ICP备{n}号",
    "主办单位：某某市人民政府 承办单位：某某市大数据中心",
]
PLACES = [
    "和田县",
    "墨玉县",
    "莎车县",
    "疏附县",
    "喀什市",
    "阿图什市",
    "伊宁县",
    "阜康市",
    "吐鲁番市",
    "哈密市",
    "林芝市",
    "昌都市",
    "果洛藏族自治州",
    "玉树市",
    "黔西南布依族苗族自治州",
    "恩施土家族苗族自治州",
]
SUPPORTERS = [
    "北京市",
    "上海市",
    "广东省",
    "深圳市",
    "江苏省",
    "浙江省",
    "山东省",
    "天津市",
    "福建省",
    "杭州市",
]
_NUM = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"(?:19|20)\d\d(?=年)")


# --------------------------------------------------------------------------- corpus


def _paragraphs() -> list[str]:
    """Prose lines of the sample corpus and the text fixtures: the pool documents are drawn from."""
    lines: list[str] = []
    for path in sorted((ROOT / "data" / "raw").glob("*.txt")) + sorted(
        (ROOT / "tests" / "fixtures").rglob("*.txt")
    ):
        try:
            content = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # the fixtures in other encodings add nothing the pool lacks
            continue
        for line in content.splitlines():
            line = line.strip()
            if len(line) >= 30 and re.search(r"[，。]", line):
                lines.append(line)
    return lines


def _vary(rng: random.Random, para: str) -> str:
    para = _YEAR.sub(lambda m: str(rng.randint(1990, 2025)), para)
    para = _NUM.sub(lambda m: str(round(float(m.group()) * rng.uniform(0.5, 2.0), 1)), para)
    for old in rng.sample(PLACES, 2):
        para = para.replace(old, rng.choice(PLACES))
    return para


def _document(rng: random.Random, pool: list[str], n: int, target: int) -> tuple[str, list[str]]:
    supporter, recipient = rng.choice(SUPPORTERS), rng.choice(PLACES)
    title = f"{supporter}对口支援{recipient}工作综述（{n}）"
    paras = [
        f"{rng.randint(1996, 2025)}年，{supporter}对口支援{recipient}，投入资金{rng.randint(1, 90)}亿元。"
    ]
    size = len(paras[0])
    while size < target:
        p = _vary(rng, rng.choice(pool))
        paras.append(p)
        size += len(p) + 1
    return title, paras


def _as_text(rng: random.Random, title: str, paras: list[str], n: int) -> str:
    head = rng.sample(FURNITURE_HEAD, 2)
    meta = f"来源：某某网 发布时间：{rng.randint(2015, 2025)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
    tail = [
        t.format(title=f"对口支援工作动态第{n + 1}期", n=rng.randint(10**6, 10**7)) for t in FURNITURE_TAIL
    ]
    return "\n".join([*head, title, meta, *paras, *rng.sample(tail, 4)]) + "\n"


def build_corpus(root: Path, mb: float, n_files: int, seed: int = 7) -> dict[str, Path]:
    """Text dumps under root/text/, HTML pages under root/html/; a quarter of each in ../quarter/.

    One file in ten is an HTML page with a real page's article (about 1,700 characters) and a real
    page's weight of markup (portal_pages.py: median about 100 KB); the text dumps, written after
    them, fill the rest of --mb but never less than 72% of it, so their size per file stays that of a
    scraped article dump (about 16 KB) however heavy the pages come out."""
    rng = random.Random(seed)
    pool = _paragraphs()
    dirs = {k: root / k for k in ("text", "html")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    html_ids = [n for n in range(n_files) if n % 10 == 9]
    html_bytes = 0
    for n in html_ids:
        title, paras = _document(rng, pool, n, int(1700 * rng.uniform(0.3, 1.7)))
        page = portal_pages.page(rng, title, paras).encode("utf-8")
        (dirs["html"] / f"p{n:05d}.html").write_bytes(page)
        html_bytes += len(page)
    text_ids = [n for n in range(n_files) if n % 10 != 9]
    text_bytes = max(mb * 1e6 - html_bytes, 0.72 * mb * 1e6)
    target = int(text_bytes / max(len(text_ids), 1) / 2.85)  # a dump is about 2.85 bytes a character
    for n in text_ids:
        title, paras = _document(rng, pool, n, int(target * rng.uniform(0.3, 1.7)))
        (dirs["text"] / f"d{n:05d}.txt").write_text(_as_text(rng, title, paras, n), encoding="utf-8")
    quarter = root.parent / "quarter"
    quarter.mkdir(exist_ok=True)
    for kind, d in dirs.items():
        files = sorted(d.iterdir())
        (quarter / kind).mkdir(exist_ok=True)
        for f in files[: len(files) // 4]:
            os.link(f, quarter / kind / f.name)
    return {"all": root, **dirs, "quarter": quarter}


def _size(d: Path) -> tuple[int, int]:
    files = [p for p in d.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


# --------------------------------------------------------------------------- measuring


def _tree_memory(pid: int) -> tuple[int, int]:
    """Resident and proportional bytes (RSS, PSS) of a process and all its descendants.

    The RSS sum counts a page the workers share with the forkserver they forked from (the
    dictionaries it loaded for them) once in each; PSS splits it between them, so its sum is
    the memory the run really holds."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # the name in parentheses may hold spaces
        children.setdefault(ppid, []).append(int(entry))
    total = {"Rss": 0, "Pss": 0}
    todo = [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            lines = Path(f"/proc/{p}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            key, _, value = line.partition(":")
            if key in total:
                total[key] += int(value.split()[0]) * 1024  # kB
    return total["Rss"], total["Pss"]


def run_duikou(raw: Path, out: Path, *extra: str) -> dict[str, float]:
    """`duikou run` in a fresh process: wall seconds and the peak RSS of its process tree."""
    cmd = [sys.executable, "-m", "flows.cli", "run", "--raw", str(raw), "--out", str(out), "--quiet", *extra]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0, 0]
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            peak[:] = map(max, peak, _tree_memory(proc.pid))
            stop.wait(0.1)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    stdout, stderr = proc.communicate()
    stop.set()
    watcher.join()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"duikou run on {raw} exited {proc.returncode}:\n{stderr[-2000:]}")
    return {"wall": wall, "rss": peak[0], "pss": peak[1], "stdout": stdout}  # type: ignore[dict-item]


def stage_shares(raw: Path, n: int) -> dict[str, float]:
    """CPU seconds per stage over n files spread over the corpus, one process: read, clean, each
    extractor, the Arrow tables and the Parquet write, timed around the calls the batch function makes."""
    from extractors import pipeline, tokens
    from extractors.settings import DEFAULT
    from flows import tables as T
    from flows.batches import _Extracted, _Found
    from flows.sources import discover, hash_file, read_raw
    from flows.storage import _write_parquet as write_parquet

    tokens.get_tagger()
    every = [hash_file(f, DEFAULT) for f in discover(raw, None)]
    files = every[:: max(1, len(every) // n)][:n]  # spread over the corpus: pages and dumps alike
    totals: dict[str, float] = {}

    def timed(stage: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        t0 = time.process_time()
        out = fn(*args, **kwargs)
        totals[stage] = totals.get(stage, 0.0) + time.process_time() - t0
        return out

    for i in range(0, len(files), DEFAULT.batch_size):
        batch = _Extracted()
        for f in files[i : i + DEFAULT.batch_size]:
            _, raw_bytes = timed("read", read_raw, f.path, f.rel, DEFAULT)
            clean = timed("clean", pipeline.clean, raw_bytes, name=f.path.name)
            doc = timed(
                "sentences",
                pipeline.make_doc,
                clean.text,
                clean.sections,
                title=clean.title,
                published=clean.published,
            )
            found: dict[str, Any] = {}
            for name, fn in pipeline.EXTRACTORS.items():
                kwargs = {"years": found["years"]} if name in pipeline.USES_YEARS else {}
                found[name] = timed(name, fn, doc, **kwargs)
            timed("tables", batch.add, _Found(f.rel, clean.text, doc.sections, found))
        built, _ = timed("tables", batch.tables)
        with tempfile.TemporaryDirectory() as tmp:
            for table, data in built.items():
                assert data.schema.equals(T.SCHEMAS[table])
                timed("write", write_parquet, data, Path(tmp) / f"{table}.parquet")
    return totals


def read_texts(raw: Path, limit_bytes: int) -> tuple[list[str], int]:
    """The first files under raw, up to limit_bytes, and their size in bytes."""
    texts, size = [], 0
    for p in sorted(raw.iterdir()):
        texts.append(p.read_text(encoding="utf-8"))
        size += p.stat().st_size
        if size >= limit_bytes:
            break
    return texts, size


def jieba_alone(texts: list[str], size: int) -> float:
    """MB/s of jieba.lcut on the decoded text of the same inputs (HMM on, jieba's default)."""
    import jieba

    jieba.initialize()

    def cut_all() -> None:  # the words are dropped as they come, as a tokenising job would
        for t in texts:
            jieba.lcut(t)

    return size / 1e6 / _timed(cut_all)


def readability_alone(pages: list[str]) -> float:
    """Pages/s of readability-lxml's summary on the same pages."""
    from readability import Document

    return len(pages) / _timed(lambda: [Document(page).summary(html_partial=True) for page in pages])


def has_readability() -> bool:
    try:
        import readability  # noqa: F401
    except ImportError:
        return False
    return True


def real_pages(pages_dir: Path) -> tuple[float, float, int]:
    """Pages/s per core on real pages, in one process: the batch function every worker runs
    (read, decode, clean, extract, build the tables) against readability-lxml's summary alone."""
    from readability import Document

    from extractors import tokens
    from extractors.settings import DEFAULT
    from flows.batches import ingest_files
    from flows.sources import discover, hash_file

    tokens.get_tagger()
    files = [hash_file(f, DEFAULT) for f in discover(pages_dir, None)]
    ours = min(
        _timed(lambda: ingest_files(files, settings=DEFAULT, version="bench", extract=True)) for _ in range(3)
    )
    markup = list(portal_pages.read_pages(pages_dir))  # a page we reject is not timed with readability
    theirs = min(_timed(lambda: [Document(m).summary(html_partial=True) for m in markup]) for _ in range(3))
    return len(files) / ours, len(markup) / theirs, len(files)


@dataclass
class Paired:
    """Baseline readings b0..bN around our runs r1..rN, in the order b0 r1 b1 r2 ... rN bN."""

    runs: list[dict[str, float]]
    readings: list[float]

    def ratios(self, ours: Callable[[dict[str, float]], float]) -> list[float]:
        """Each run's throughput over the faster baseline reading beside it."""
        return [ours(r) / max(self.readings[i], self.readings[i + 1]) for i, r in enumerate(self.runs)]


def paired(baseline: Callable[[], float], run: Callable[[int], dict[str, float]], rounds: int) -> Paired:
    """Alternate baseline readings and pipeline runs (`run(i)` is round i's), so each run's ratio
    compares two things timed within a minute of each other."""
    readings = [baseline()]
    runs = []
    for i in range(rounds):
        runs.append(run(i))
        readings.append(baseline())
    return Paired(runs, readings)


def _timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


# --------------------------------------------------------------------------- report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=200.0, help="corpus size in MB (default 200)")
    ap.add_argument("--files", type=int, default=10_000, help="number of files (default 10,000)")
    ap.add_argument(
        "--rounds", type=int, default=3, help="paired baseline/pipeline rounds per ratio (default 3)"
    )
    ap.add_argument("--work", type=Path, help="where to build the corpus (default: a temporary directory)")
    ap.add_argument("--keep", action="store_true", help="keep the corpus and outputs")
    ap.add_argument(
        "--pages",
        type=Path,
        help="a directory of real HTML pages (read in place, never copied) for a per-core pages/s "
        "comparison with readability-lxml, e.g. ../shared/html",
    )
    args = ap.parse_args()
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")
    work = args.work or Path(tempfile.mkdtemp(prefix="duikou-bench-"))
    cores = os.cpu_count() or 1
    try:
        t0 = time.perf_counter()
        corpus = build_corpus(work / "raw", args.mb, args.files)
        n_all, b_all = _size(corpus["all"])
        n_text, b_text = _size(corpus["text"])
        n_html, b_html = _size(corpus["html"])
        print(
            f"corpus: {n_all} files, {b_all / 1e6:.0f} MB ({n_text} text dumps {b_text / 1e6:.0f} MB, "
            f"{n_html} HTML pages {b_html / 1e6:.0f} MB), "
            f"built in {time.perf_counter() - t0:.0f} s; {cores} cores"
        )

        rows: list[tuple[str, str, str]] = []
        texts, texts_size = read_texts(corpus["text"], min(b_text, 20_000_000))
        pages = [p.read_text(encoding="utf-8") for p in sorted(corpus["html"].iterdir())[:400]]
        readab_ok = has_readability()
        one_worker: list[dict[str, float]] = []
        middle = args.rounds // 2  # the 1-worker run sits right before this round's 2-worker run

        def text_run(i: int) -> dict[str, float]:
            if i == middle:
                one_worker.append(run_duikou(corpus["text"], work / "out-text-1", "--workers", "1"))
            return run_duikou(corpus["text"], work / f"out-text-2-{i}", "--workers", "2")

        text = paired(lambda: jieba_alone(texts, texts_size), text_run, args.rounds)
        html = (
            paired(
                lambda: readability_alone(pages),
                lambda i: run_duikou(corpus["html"], work / f"out-html-2-{i}", "--workers", "2"),
                args.rounds,
            )
            if readab_ok
            else Paired([run_duikou(corpus["html"], work / "out-html-2-0", "--workers", "2")], [])
        )
        text1, text2 = one_worker[0], text.runs[middle]
        quarter = run_duikou(corpus["quarter"], work / "out-quarter", "--workers", "2")
        whole = run_duikou(corpus["all"], work / "out-all", "--workers", "2")
        rerun = run_duikou(corpus["all"], work / "out-all", "--workers", "2")
        shares = stage_shares(corpus["all"], 400)

        def text_mb_s(r: dict[str, float]) -> float:
            return b_text / 1e6 / r["wall"]

        def html_pages_s(r: dict[str, float]) -> float:
            return n_html / r["wall"]

        def listed(values: list[float], fmt: str) -> str:
            return ", ".join(format(v, fmt) for v in values)

        text_ratios = text.ratios(text_mb_s)
        text_mbs = statistics.median(map(text_mb_s, text.runs))
        html_pps = statistics.median(map(html_pages_s, html.runs))
        rows += [
            ("text dumps, 1 worker", f"{text_mb_s(text1):.2f} MB/s", f"{text1['wall']:.0f} s"),
            (
                f"text dumps, 2 workers ({len(text.runs)} runs)",
                f"{text_mbs:.2f} MB/s",
                f"median; {listed([text_mb_s(r) for r in text.runs], '.2f')}",
            ),
            ("  per core", f"{text_mbs / min(2, cores):.2f} MB/s", ""),
            (
                "jieba.lcut alone, same text",
                f"{statistics.median(text.readings):.2f} MB/s",
                f"1 core, median; {listed(text.readings, '.2f')} around the runs",
            ),
            (
                "  pipeline / jieba.lcut",
                f"{statistics.median(text_ratios):.2f}x",
                f"target >= 3x; median of rounds {listed(text_ratios, '.2f')}",
            ),
            (
                f"HTML pages, 2 workers ({len(html.runs)} runs)",
                f"{html_pps:.1f} pages/s",
                f"median; {listed([html_pages_s(r) for r in html.runs], '.1f')}",
            ),
            ("  per core", f"{html_pps / min(2, cores):.1f} pages/s", ""),
        ]
        if readab_ok:
            html_ratios = html.ratios(html_pages_s)
            rows += [
                (
                    "readability-lxml alone, same pages",
                    f"{statistics.median(html.readings):.1f} pages/s",
                    f"1 core, median; {listed(html.readings, '.1f')} around the runs",
                ),
                (
                    "  pipeline / readability",
                    f"{statistics.median(html_ratios):.2f}x",
                    f"target >= 3x; median of rounds {listed(html_ratios, '.2f')}",
                ),
            ]
        else:
            rows.append(("readability-lxml alone", "not installed", "pip install readability-lxml"))
        rows += [
            ("2 workers / 1 worker", f"{text1['wall'] / text2['wall']:.2f}x", "target >= 1.7x"),
            ("whole corpus, 2 workers", f"{b_all / 1e6 / whole['wall']:.2f} MB/s", f"{whole['wall']:.0f} s"),
            (
                "peak RSS, quarter corpus",
                f"{quarter['rss'] / 2**20:.0f} MiB",
                f"{_size(corpus['quarter'])[1] / 1e6:.0f} MB",
            ),
            ("peak RSS, whole corpus", f"{whole['rss'] / 2**20:.0f} MiB", f"{b_all / 1e6:.0f} MB"),
            ("  whole / quarter", f"{whole['rss'] / quarter['rss']:.2f}x", "target <= 1.2x, < 1 GiB"),
            (
                "peak PSS, quarter / whole",
                f"{quarter['pss'] / 2**20:.0f} / {whole['pss'] / 2**20:.0f} MiB",
                "shared pages split",
            ),
            (f"re-run, nothing changed ({n_all} files)", f"{rerun['wall']:.1f} s", "target < 10 s"),
        ]
        if args.pages:
            ours_w = portal_pages.medians(portal_pages.read_pages(corpus["html"]))
            real_w = portal_pages.medians(portal_pages.read_pages(args.pages))
            for measure in portal_pages.MEASURES:
                rows.append(
                    (
                        f"page weight, median {measure}",
                        f"{ours_w[measure]:.0f} / {real_w[measure]:.0f}",
                        "bench pages / real pages",
                    )
                )
        if args.pages and readab_ok:
            ours_pps, theirs_pps, n_pages = real_pages(args.pages)
            rows += [
                (f"real pages ({n_pages}), pipeline per core", f"{ours_pps:.1f} pages/s", str(args.pages)),
                ("  readability-lxml alone, same pages", f"{theirs_pps:.1f} pages/s", "1 core"),
                ("  per core / readability", f"{ours_pps / theirs_pps:.2f}x", ""),
                (
                    "  2 workers (x measured scaling) / readability",
                    f"{ours_pps * text1['wall'] / text2['wall'] / theirs_pps:.2f}x",
                    "target >= 3x",
                ),
            ]
        total = sum(shares.values())
        for stage, secs in shares.items():
            rows.append(
                (f"stage share: {stage}", f"{100 * secs / total:.0f} %", f"{secs:.1f} s of {total:.1f} s")
            )
        width = max(len(r[0]) for r in rows)
        print(f"\n{'measure':{width}}  {'value':>16}  note")
        for name, value, note in rows:
            print(f"{name:{width}}  {value:>16}  {note}")
        (work / "bench.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
