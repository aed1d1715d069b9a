"""Large pools as text: the stored pool snapshot and a fast target draw over it.

The snapshot of a pool is exactly the pre-image of `engine.draw.pool_hash`: the lines
'<uscc>,<risk_class>' sorted byte-wise and joined by '\\n', as UTF-8. Storing it lets anyone
recompute the hash and the draw. `draw_targets_text` returns what `engine.draw.draw_targets`
returns for the same members (property-tested), without building an object per member: a
pool of a million enterprises is ranked with precomputed HMAC pads and plain byte sorting.

A pool comes either from a stored snapshot (`Pool.parse`, what verification replays) or, when
drawing, from the database grouped by risk class (`Pool.from_strata`): there each member is a
row b'<uscc>' or b'<uscc>\\t<payload>' (the adapter's enterprise id and region), and the rows
of the drawn members come back with the draw, so nothing has to be looked up afterwards.
"""

from __future__ import annotations

import hashlib
import heapq
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

from engine.draw import RISK_ORDER, DrawError, MinimumRule, stratum_sizes

_BLOCK = 64  # SHA-256 block size: longer HMAC keys would be hashed first


def pool_text(members: Iterable[tuple[str, str]]) -> bytes:
    """The canonical snapshot of (uscc, risk_class) pairs: sorted lines joined by '\\n'."""
    return "\n".join(sorted(f"{uscc},{risk}" for uscc, risk in members)).encode("utf-8")


def text_hash(text: bytes) -> str:
    """SHA-256 (hex) of a canonical snapshot: equals engine.draw.pool_hash of its members."""
    return hashlib.sha256(text).hexdigest()


def split_lines(text: bytes) -> list[bytes]:
    return text.split(b"\n") if text else []


def canonical(text: bytes) -> bytes:
    """The snapshot with its lines sorted (already canonical text is returned as it is)."""
    lines = split_lines(text)
    if all(map(operator.lt, lines, islice(lines, 1, None))):
        return text
    return b"\n".join(sorted(lines))


def members(text: bytes) -> list[tuple[str, str]]:
    """The (uscc, risk_class) pairs of a snapshot; DrawError on a malformed line."""
    out = []
    for number, line in enumerate(split_lines(text), start=1):
        uscc, comma, risk = line.decode("utf-8").rpartition(",")
        if not comma or not uscc or not risk:
            raise DrawError(f"抽取池快照第{number}行格式错误")
        out.append((uscc, risk))
    return out


class Ranker:
    """rank_key(seed, message) as raw bytes (hex order = byte order), with the HMAC pads
    hashed once instead of once per message."""

    def __init__(self, seed: str):
        key = seed.encode("utf-8")
        if len(key) > _BLOCK:
            key = hashlib.sha256(key).digest()
        key = key.ljust(_BLOCK, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def digest(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    def keys(self, usccs: Sequence[bytes], rows: Sequence[bytes] | None = None) -> list[bytes]:
        """digest(uscc) + row for each member (row defaults to the USCC): sorting these sorts by
        rank, ties by USCC, since a row is the USCC followed by nothing or by a tab, which sorts
        below every character of a USCC. (The loop is `digest` inlined: a million members spend
        most of their time in it.)"""
        inner_copy, outer_copy = self._inner.copy, self._outer.copy
        out = []
        append = out.append
        for uscc, row in zip(usccs, usccs if rows is None else rows, strict=True):
            inner = inner_copy()
            inner.update(uscc)
            outer = outer_copy()
            outer.update(inner.digest())
            append(outer.digest() + row)
        return out


@dataclass(frozen=True)
class TextDraw:
    seed: str
    pool_hash: str
    counts: dict[str, int]
    sizes: dict[str, int]
    selected: list[tuple[str, str]]  # (uscc, risk) in draw order: strata D, C, B, A, each by rank
    rows: list[bytes] = field(default_factory=list)  # the selected members' rows, same order


@dataclass(frozen=True)
class Pool:
    """A snapshot parsed once: its canonical text, its members' USCCs per risk class and, line
    for line with them, the members' rows (the USCCs themselves for a parsed snapshot)."""

    text: bytes
    strata: dict[bytes, list[bytes]]
    rows: dict[bytes, list[bytes]] | None = None

    @classmethod
    def parse(cls, text: bytes) -> Pool:
        """Sort into canonical order if needed, group by risk class, refuse duplicate USCCs."""
        return cls.from_lines(split_lines(canonical(text)))

    @classmethod
    def from_lines(cls, lines: list[bytes]) -> Pool:
        """The pool of lines already in canonical (byte) order."""
        strata: dict[bytes, list[bytes]] = {}
        for line in lines:
            uscc, _comma, risk = line.rpartition(b",")
            strata.setdefault(risk, []).append(uscc)
        if len({u for us in strata.values() for u in us}) != len(lines):
            raise DrawError("抽取池中存在重复的统一社会信用代码")
        return cls(b"\n".join(lines), strata)

    @classmethod
    def from_strata(cls, rows: Mapping[bytes, list[bytes]]) -> Pool:
        """The pool of rows b'<uscc>' or b'<uscc>\\t<payload>' given per risk class, in any
        order; its snapshot text is built (and sorted) here. DrawError on a USCC twice."""
        strata = {risk: [row.partition(b"\t")[0] for row in members] for risk, members in rows.items()}
        lines: list[bytes] = []
        for risk, usccs in strata.items():
            tail = b"," + risk
            lines += [uscc + tail for uscc in usccs]
        if len({u for us in strata.values() for u in us}) != len(lines):
            raise DrawError("抽取池中存在重复的统一社会信用代码")
        lines.sort()
        return cls(b"\n".join(lines), strata, dict(rows))

    @property
    def counts(self) -> dict[str, int]:
        return {risk.decode(): len(us) for risk, us in self.strata.items()}


def draw_targets_text(
    pool: bytes | Pool,
    ratios: Mapping[str, str | Decimal],
    seed: str,
    minimums: Sequence[MinimumRule] = (),
) -> TextDraw:
    """engine.draw.draw_targets over a snapshot (sorted into canonical order if it is not)."""
    pool = pool if isinstance(pool, Pool) else Pool.parse(pool)
    counts = pool.counts
    sizes = stratum_sizes(counts, ratios, minimums)
    ranker = Ranker(seed)
    selected: list[tuple[str, str]] = []
    rows: list[bytes] = []
    for risk in _order(counts):
        stratum = risk.encode()
        keyed = ranker.keys(pool.strata[stratum], pool.rows[stratum] if pool.rows else None)
        first = [k[32:] for k in heapq.nsmallest(sizes[risk], keyed)]  # = sorted(keyed)[:k]
        rows += first
        selected += [(row.partition(b"\t")[0].decode(), risk) for row in first]
    return TextDraw(seed, text_hash(pool.text), counts, sizes, selected, rows)


def _order(counts: Mapping[str, int]) -> list[str]:
    return [r for r in RISK_ORDER if r in counts] + sorted(set(counts) - set(RISK_ORDER))
