"""A grading's reasons kept a part at a time read back as each manager's list, as JSON would
have kept it; a frame's reasons column stays lazy through the ledger."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from amctl.engine.reasons import reason
from amctl.engine.why import Figures, Lazy, Shared, Why
from amctl.ledger import reasons
from amctl.ledger.frames import decode, encode


def _gates(ats: np.ndarray) -> Why:
    """Failures that depend on the manager alone, as a gate's do."""
    inner = Why(len(ats))
    inner.add(ats % 2 == 1, "gate.years", have=ats[ats % 2 == 1] * 2, need=5)
    exam = ats == 3
    inner.add(exam, "gate.exam", have=Figures(np.full(int(exam.sum()), 59.5)), need="60")
    return inner


def _why() -> Why:
    why = Why(6)
    why.add(np.array([2, 0, 1, 5]), "rank", n=[3, 1, 2, 4], of=4, composite=np.full(4, 80.5))
    why.add(np.array([True, False, True, False, False, True]), "seat", level="mid", seats=(1, 2, 3))
    why.add(
        np.array([1, 3]), "not_eligible", level="senior", failures=Lazy(lambda at: [at], _gates)
    )
    why.add([4], "not_eligible", level="mid", failures=Lazy(lambda at: [f"row {at}"]))
    why.extend([5], [[reason("override", tier="mid-A", by=("HR", 1))]])
    why.extend([0], [[reason("rater_gap", raters=["同事"])]], how="prepend")
    why.add([2], "held.level", how="reset", keep=("rank",), level="junior")
    why.add(
        [0, 1, 5],
        "band.split",
        band=np.array(["A", None, "B"], dtype=object),
        n=np.array([1.0, np.nan, 2.0]),
        odd=np.array([{"x": 1}, 2, "三"], dtype=object),
        split=Shared((["A", 1],)),
    )
    return why


def test_a_why_reads_back_as_its_reasons_would_from_json() -> None:
    why = _why()
    everyone = np.arange(why.n)
    as_json = json.loads(json.dumps(why.many(everyone), ensure_ascii=False))
    back = reasons.decode(reasons.encode(why))
    assert back.n == why.n
    got = back.many(everyone)
    assert json.dumps(got, ensure_ascii=False) == json.dumps(as_json, ensure_ascii=False)
    assert got[1][1]["failures"] == [{"code": "gate.years", "have": 2, "need": 5}]
    assert got[3][0]["failures"][-1] == {"code": "gate.exam", "have": "59.5", "need": "60"}
    assert got[4][0]["failures"] == ["row 4"]  # a Lazy without `many`: worked out, kept
    assert got[5][2]["by"] == ["HR", 1]  # a tuple as JSON keeps it
    assert type(got[0][1]["n"]) is int and type(got[0][1]["composite"]) is float


def test_a_why_is_kept_as_columns_not_a_document_per_manager() -> None:
    why = Why(100_000)
    why.add(np.arange(100_000), "rank", n=np.arange(1, 100_001), of=100_000)
    body = reasons.encode(why)
    assert len(body) < 300_000  # JSON per manager: 4.5 MB
    assert reasons.decode(body).at(99_999) == [{"code": "rank", "n": 100_000, "of": 100_000}]


def test_a_reasons_column_over_a_why_stays_lazy_through_a_frame() -> None:
    why = _why()
    frame = pd.DataFrame({"tier": list("abcdef")}, index=[f"KM{i}" for i in range(6)])
    frame["reasons"] = why.column(frame.index)
    frame = frame.iloc[[5, 0, 3]]  # a selection: positions into the same Why
    back = decode(encode(frame))
    assert back["reasons"].array.kept is not None
    expected = json.loads(json.dumps(frame["reasons"].tolist()))
    assert back["reasons"].tolist() == expected
    assert back.index.tolist() == ["KM5", "KM0", "KM3"]


def test_a_reasons_column_built_from_values_is_kept_as_json() -> None:
    frame = pd.DataFrame({"tier": ["a", "b"]})
    frame["reasons"] = pd.Series([[reason("rank", n=1)], None]).astype("amctl-reasons")
    back = decode(encode(frame))
    assert back["reasons"].array.kept is None
    assert back["reasons"].tolist() == [[{"code": "rank", "n": 1}], None]
