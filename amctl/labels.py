"""Column and sheet titles for people: Chinese or English, from fixed words and the policy's own
labels (沟通协调能力, 基本岗位工资). Machine formats (csv, json) keep the stable keys."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from amctl.engine.reasons import Reason
from amctl.errors import Finding
from amctl.messages import Said, Unsaid, field_text, template_parts
from amctl.messages import say as say_message
from amctl.policy.columns import BUILTIN_ALIASES
from amctl.policy.models import Policy
from amctl.policy.names import TRAINEE, per_distinct

if TYPE_CHECKING:  # a type only: the label layer reads no workbook
    from amctl.data.rows import Blocked

WORDS: dict[str, tuple[str, str]] = {  # key: (zh, en)
    "status": ("状态", "Status"),
    "employee_id": ("员工编号", "Employee ID"),
    "name": ("姓名", "Name"),
    "org_unit": ("部门", "Org unit"),
    "years_in_post": ("任职年限", "Years in post"),
    "ability": ("能力得分", "Ability"),
    "performance": ("绩效得分", "Performance"),
    "composite": ("综合得分", "Composite"),
    "ability_band": ("能力档", "Ability band"),
    "performance_band": ("绩效档", "Performance band"),
    "cell": ("九宫格", "Grid cell"),
    "action": ("发展建议", "Action"),
    "level": ("等级", "Level"),
    "band": ("档次", "Band"),
    "tier": ("等级档次", "Tier"),
    "tier_label": ("评定结果", "Tier label"),
    "current_tier": ("原等级档次", "Current tier"),
    "previous_tier": ("上期等级档次", "Previous tier"),
    "previous_from": ("上期来源", "Previous from"),
    "movement": ("变动", "Movement"),
    "computed_level": ("排名等级", "Ranked level"),
    "level_set": ("定级期间", "Level set in"),
    "band_set": ("定档期间", "Band set in"),
    "training": ("培训建议", "Training"),
    "rural": ("服务农村", "Rural"),
    "rank": ("排名", "Rank"),
    "reasons": ("评定依据", "Reasons"),
    "label": ("名称", "Label"),
    "cap_pct": ("上限", "Cap"),  # the cells show the % sign
    "floor_pct": ("下限", "Floor"),
    "seats": ("名额", "Seats"),
    "count": ("人数", "Placed"),
    "managers": ("人数", "Managers"),
    "share_pct": ("占比", "Share"),
    "over": ("超额", "Over"),
    "last_in": ("末位入选", "Last in"),
    "last_in_composite": ("末位得分", "Last in score"),
    "first_out": ("首位落选", "First out"),
    "first_out_composite": ("落选得分", "First out score"),
    "place": ("位置", "Place"),
    "severity": ("级别", "Severity"),
    "rule": ("规则", "Rule"),
    "message": ("说明", "Message"),
    "key": ("项目", "Item"),
    "value": ("内容", "Value"),
    "pay_band": ("薪酬档次", "Pay band"),
    "pay_tier": ("薪酬等级档次", "Pay tier"),
    "days": ("在岗天数", "Days in post"),
    "total": ("合计", "Total"),
    "place_reasons": ("原因", "Reasons"),
    "all": ("合计", "All"),
    "graded": ("已评定", "graded"),
    "not graded": ("未评定", "not graded"),
    "page footer": ("&C第 &P 页，共 &N 页", "&CPage &P of &N"),
    "policy version": ("政策版本", "policy version"),
    # sheet names
    "grading": ("分级结果", "Grading"),
    "summary": ("汇总", "Summary"),
    "quota": ("名额", "Quota"),
    "boundaries": ("边界", "Boundaries"),
    "findings": ("问题", "Findings"),
    "run": ("运行信息", "Run"),
    "payroll": ("薪酬", "Payroll"),
    "by org unit and tier": ("按部门和等级", "By org unit and tier"),
    "by tier": ("按等级", "By tier"),
    "not paid": ("未发放", "Not paid"),
}


def titles(policy: Policy, lang: str) -> Callable[[str], str]:
    """key → title in `lang`; unknown keys (a level, a tier) stay as they are."""
    zh = lang == "zh"
    extra: dict[str, str] = {}
    for key, ind in policy.ability.indicators.items():  # the columns hold scores, not data
        extra[f"ability.{key}"] = f"{ind.label}得分" if zh else f"Ability score: {key}"
    for key, pind in policy.performance.indicators.items():
        extra[f"performance.{key}"] = f"{pind.label}得分" if zh else f"Performance score: {key}"
    if policy.pay is not None:
        for key, component in policy.pay.components.items():
            extra[key] = (component.label or key) if zh else key.replace("_", " ").capitalize()
    called = names(policy, lang)

    def title(key: str) -> str:
        if key in extra:
            return extra[key]
        if key in WORDS:
            return WORDS[key][0 if zh else 1]
        return called.tier(key)  # a level or a tier heading a column; anything else as it is

    return title


_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[^\s:;,'\"；：，、（）]*[/\\])+(?=[^/\\\s]+\.\w{2,7}\b)")


def plain(text: str) -> str:
    """A message with each file named by its own name, not the folders on the machine that
    read it: what a notice handed to a manager, or a mailed report, should show."""
    return _PATH.sub("", text)


def moved(previous: Any, now: Any, movement: Any) -> Any:
    """The move as people name it: a level up is 晋升, a band up within the level 升档, out of
    the trainee period 见习转正. `movement` stays the key scripts read (up, down, …)."""
    if movement not in ("up", "down") or not isinstance(previous, str) or not isinstance(now, str):
        return movement
    was, then = previous.partition("-")[0], now.partition("-")[0]
    if was == TRAINEE and then != TRAINEE:
        return "graduated"
    if was == then:
        return "band_up" if movement == "up" else "band_down"
    return "promoted" if movement == "up" else "demoted"


def moved_column(previous: Iterable[Any], now: Iterable[Any], movement: Iterable[Any]) -> list[Any]:
    """`moved` of every row, worked out once per distinct (previous, now, movement): a
    quarter has a few dozen, and a million managers."""
    return per_distinct(moved, previous, now, movement)


_BUILTIN_WORDS: dict[str, str] = {k: zh for k, (zh, _) in WORDS.items()}
for _key, _aliases in BUILTIN_ALIASES.items():
    _BUILTIN_WORDS.setdefault(_key, _aliases[0])
_LAST_WORDS: list[Any] = [None, None]  # the policy last asked for, and its words


def field_word(policy: Policy | None = None) -> Callable[[str], str | None]:
    """An internal field key (employee_id, post_start, sales) → the column's name as people
    write it (员工编号, 任职日期, 销售额): how a Chinese finding names a column it speaks of.
    Asked once per finding or reason shown, so the words of the last policy are kept."""
    if policy is None:
        return _BUILTIN_WORDS.get
    if policy is _LAST_WORDS[0]:
        return cast(Callable[[str], str | None], _LAST_WORDS[1])
    known = dict(_BUILTIN_WORDS)
    for key, column in policy.columns.items():
        if column.aliases:
            known[key] = column.aliases[0]
    for key, ind in policy.ability.indicators.items():
        known[key] = known[f"ability:{key}"] = ind.label
    for key, pind in policy.performance.indicators.items():
        known.setdefault(key, pind.label)
    _LAST_WORDS[:] = [policy, known.get]
    return known.get


def worded(item: Finding, lang: str, policy: Policy | None = None) -> str:
    """A finding's message in `lang`, naming columns as the policy's workbook does."""
    return item.worded(lang, field_word(policy))


def reasons_of(blocked: Blocked, lang: str, policy: Policy | None = None, **how: Any) -> str:
    """Why a row was not graded, each reason at its cell, in `lang`."""
    return _joiner(lang).join(blocked.said(lang, field_word(policy), **how))


def worked_line(line: Mapping[str, Any], period_days: int, lang: str) -> str:
    """A pay line as on paper: value × months × days held / days in the period = amount."""
    say_ = wording(lang)
    text = str(line["value"])
    if line["months"] != 1:
        text += say_("t.months").format(n=line["months"])
    days = line["prorated_days"]
    if days is not None and days != period_days:
        text += say_("t.days").format(days=days, period_days=period_days)
    return f"{text} = {Decimal(line['amount']):,.2f}"


def heading(policy: Policy, period: str, lang: str) -> str:
    """The line above a printed table: whose rules, which period, which version."""
    meta = policy.metadata
    version = WORDS["policy version"][0 if lang == "zh" else 1]
    return f"{meta.name} · {period} · {version} {meta.version}"


LEVEL_KEYS = ("level", "computed_level", "pay_level")
TIER_KEYS = ("tier", "pay_tier", "new_tier", "old_tier", "current_tier", "previous_tier")
VALUE_KEYS = {
    "ability_band": "band3",
    "performance_band": "band3",
    "movement": "movement",
    "previous_from": "source",
    "severity": "severity",
    "key": "key",
}


def valued(kind: str, value: Any, lang: str) -> str:
    """A value of one of the VALUES kinds (movement, band3, table, …) as people read it in
    `lang`; a value the layer does not know is shown as it is."""
    word = VALUES[kind].get(value)
    return word[0 if lang == "zh" else 1] if word else str(value)


def shown(policy: Policy, lang: str) -> Callable[[str, Any], Any]:
    """(column key, value) → the cell people read: tiers and levels by their labels, bands,
    moves and yes/no in words, reasons in sentences. csv and json keep the values."""
    called = names(policy, lang)
    at = 0 if lang == "zh" else 1

    def show(key: str, value: Any) -> Any:
        if isinstance(value, bool):
            return VALUES["bool"][value][at]
        if isinstance(value, list):
            return says(value, lang, called)
        if not isinstance(value, str):
            return value
        if key in TIER_KEYS:
            return called.tier(value)
        if key in LEVEL_KEYS or (key == "pay_band" and value == TRAINEE):
            return called.level(value)  # a trainee's pay band is the trainee level
        if key in VALUE_KEYS:
            return valued(VALUE_KEYS[key], value, lang)
        return value

    return show


AXES: dict[str, tuple[str, str]] = {
    "composite": ("综合得分", "composite"),
    "performance": ("绩效得分", "performance"),
    "ability": ("能力得分", "ability"),
}
VALUES: dict[str, dict[Any, tuple[str, str]]] = {  # a column's values shown in each language
    "band3": {"high": ("高", "high"), "mid": ("中", "mid"), "low": ("低", "low")},
    "movement": {  # a tier's move; `moved` tells a level's from a band's
        "promoted": ("晋升", "promoted"),
        "demoted": ("降级", "demoted"),
        "band_up": ("升档", "band up"),
        "band_down": ("降档", "band down"),
        "up": ("上调", "up"),
        "down": ("下调", "down"),
        "same": ("保持", "same"),
        "new": ("新进", "new"),
        "changed": ("变动", "changed"),
        "graduated": ("见习转正", "graduated"),
    },
    "source": {"roster": ("花名册", "roster"), "ledger": ("台账", "ledger")},
    "audit_action": {
        "recorded": ("记录", "recorded"),
        "replaced": ("替换", "replaced"),
        "completed": ("补记薪酬", "completed"),
        "repaired": ("修复", "repaired"),
    },
    "audit_reason": {  # the ledger's own reasons; a person's reason is shown as they wrote it
        "pay added to the recorded grading": (
            "薪酬补记到已记录的评定",
            "pay added to the recorded grading",
        ),
        "two current runs; the later one kept": (
            "同一期间有两次现行运行；保留较晚的一次",
            "two current runs; the later one kept",
        ),
    },
    "table": {
        "roster": ("花名册", "roster"),
        "performance": ("业绩表", "performance"),
        "ratings": ("能力评价表", "ratings"),
    },
    "bool": {True: ("是", "yes"), False: ("否", "no")},
    "severity": {
        "error": ("错误", "error"),
        "warning": ("警告", "warning"),
        "note": ("提示", "note"),
    },
    "key": {  # the facts of a run
        "policy": ("政策", "policy"),
        "policy version": ("政策版本", "policy version"),
        "policy file": ("政策文件", "policy file"),
        "policy sha256": ("政策 sha256", "policy sha256"),
        "period": ("考核期", "period"),
        "as of": ("截至", "as of"),
        "roster rows": ("花名册行数", "roster rows"),
        "graded": ("已评定", "graded"),
        "not graded": ("未评定", "not graded"),
        "roster source": ("花名册来源", "roster source"),
        "performance source": ("业绩来源", "performance source"),
        "ratings source": ("能力评价来源", "ratings source"),
        "quarter dates": ("期间起止", "quarter dates"),
        "currency": ("币种", "currency"),
        "rounding": ("取整规则", "rounding"),
        "managers paid": ("发放人数", "managers paid"),
        "grand total": ("总额", "grand total"),
    },
}


@dataclass(frozen=True)
class Names:
    """How levels and tiers are called in one language: the policy's labels in Chinese
    (高级客户经理, 高级客户经理A), the keys in English (senior, senior-A)."""

    lang: str
    levels: Mapping[str, str]

    @property
    def zh(self) -> bool:
        return self.lang == "zh"

    def level(self, key: Any) -> str:
        return self.levels.get(str(key), str(key)) if self.zh else str(key)

    def tier(self, key: Any) -> str:
        text = str(key)
        if not self.zh:
            return text
        level, _, band = text.partition("-")
        return self.levels.get(level, level) + band if level in self.levels else text


ENGLISH = Names("en", {})


def names(policy: Policy, lang: str) -> Names:
    levels = {k: lv.label for k, lv in policy.levels.items()}
    levels[TRAINEE] = policy.trainee.label
    return Names(lang, levels)


def _names(lang: str, called: Names | None) -> Names:
    """The names reasons use in `lang`: `called` when it is in that language."""
    if called is not None and called.lang == lang:
        return called
    return Names("zh", {}) if lang == "zh" else ENGLISH


def _joiner(lang: str) -> str:
    """What a list of reasons is joined with in `lang`."""
    return "；" if lang == "zh" else "; "


def say(item: Reason | str, lang: str = "en", called: Names | None = None) -> str:
    """One reason in words. A reason recorded as text (an older ledger) is its own words."""
    if isinstance(item, str):
        return item
    n = _names(lang, called)
    p = dict(item)
    code = str(p.pop("code", ""))
    words = _ZH if lang == "zh" else _EN
    if code not in words:
        return code + (f" {p}" if p else "")
    try:
        return words[code](p, n)
    except (KeyError, TypeError, ValueError):  # a reason recorded by another version
        return code + (f" {p}" if p else "")


def says(items: Iterable[Reason | str], lang: str = "en", called: Names | None = None) -> str:
    return _joiner(lang).join(say(r, lang, called) for r in items)


def says_column(values: Any, lang: str = "en", called: Names | None = None) -> list[Any]:
    """`says` of each row of a reasons column (a row with no list of reasons, None or text,
    kept as it is): what an export writes for every manager. A column the engine keeps
    (`ReasonsArray`) is worded a step at a time from its columns, not a manager's list of
    dicts at a time."""
    from amctl.engine.why import ReasonsArray

    array = getattr(values, "array", values)
    if not isinstance(array, ReasonsArray):
        return [says(v, lang, called) if isinstance(v, list) else v for v in values]
    texts: list[Any] = says_array(array, lang, called).to_pylist()
    return texts


def says_array(values: Any, lang: str = "en", called: Names | None = None) -> Any:
    """`says_column` as an Arrow text array (null for a row with no reasons): what a csv or
    parquet writer takes as it is, with no Python string made per row."""
    import pyarrow as pa

    from amctl.engine.why import ReasonsArray

    array = getattr(values, "array", values)
    if isinstance(array, ReasonsArray):
        return array.joined(_Wording(lang, called))
    return pa.array(says_column(values, lang, called), pa.large_string(), from_pandas=True)


class _Wording:
    """`say` for one language, and for a step's reasons given as columns (`Words`)."""

    def __init__(self, lang: str, called: Names | None) -> None:
        self.lang, self.called = lang, called
        self.names = _names(lang, called)
        self.joiner = _joiner(lang)

    def one(self, reason: Reason) -> str:
        return say(reason, self.lang, self.called)

    def part(self, code: str, columns: Mapping[str, Any], n: int) -> Any:
        """What `say` gives for each row's reason ({"code": code, key: row i's value}), as an
        Arrow array: a template's a column at a time, another's once per distinct set of
        values; null for a row its words fail (a reason of another version), which `say`
        words from the reason. `columns` are the params as `Part._columns` keeps them."""
        import pyarrow as pa

        fn = (_ZH if self.lang == "zh" else _EN).get(code)
        if fn is None or "code" in columns:
            return pa.nulls(n, pa.large_string())
        if isinstance(fn, Template | _Gate):
            return fn.column(columns, n, self.names)
        return _each_distinct(fn, columns, n, self.names)


def _each_distinct(
    fn: Callable[[dict[str, Any], Names], str], columns: Mapping[str, Any], n: int, names: Names
) -> Any:
    """`fn` of each row's params, called once per distinct set of them: a failed gate has a
    handful of values (years 0-4, the exam marks) among tens of thousands of managers."""
    import numpy as np
    import pyarrow as pa

    keys = list(columns)
    distinct = [_distinct(columns[key], n) for key in keys]
    row = np.zeros(n, dtype=np.int64)
    for values, codes in distinct:  # each row's set of values as one number, kept small
        row = np.unique(row * len(values) + codes, return_inverse=True)[1].reshape(-1)
    _, firsts, places = np.unique(row, return_index=True, return_inverse=True)
    texts: list[str | None] = []
    for first in firsts.tolist():
        p = {key: values[codes[first]] for key, (values, codes) in zip(keys, distinct, strict=True)}
        try:
            texts.append(fn(p, names))
        except (KeyError, TypeError, ValueError):
            texts.append(None)
    return pa.array(texts, pa.large_string()).take(places.reshape(-1))


Convert = Callable[[Any, Names], str]
_FIELD = re.compile(r"\{(\w+)(?:!(\w+))?(?::([^{}]*))?\}")
# A template taken apart: text, then a param's key, its format spec and its conversion (no key:
# the text alone). `TextOf` words one value of a param by its spec and conversion.
Piece = tuple[str, str | None, str, Any]
TextOf = Callable[[Any, str, Any], str]
_UNWORDED = (KeyError, IndexError, TypeError, ValueError, AttributeError, Unsaid)


class Template:
    """A reason's words as text with its params in braces: `{n}`, `{composite:.2f}` (as an
    f-string formats it), `{level!level}` (through a conversion: the level's name). Said for
    one reason, or for a whole step's reasons a column at a time: each distinct value of a
    param is worded once and the pieces are joined by Arrow, not a Python call per manager
    (a quarter of a million managers has millions of reasons to word)."""

    def __init__(self, text: str) -> None:
        self.parts: list[Piece] = []
        at = 0
        for match in _FIELD.finditer(text):
            key, conversion, spec = match.group(1), match.group(2), match.group(3) or ""
            convert = _CONVERSIONS[conversion] if conversion else None
            self.parts.append((text[at : match.start()], key, spec, convert))
            at = match.end()
        self.parts.append((text[at:], None, "", None))

    @staticmethod
    def _text_of(names: Names) -> TextOf:
        def text(value: Any, spec: str, conversion: Convert | None) -> str:
            return format(value if conversion is None else conversion(value, names), spec)

        return text

    def __call__(self, p: Mapping[str, Any], n: Names) -> str:
        text_of = self._text_of(n)
        return "".join(
            text + ("" if key is None else text_of(p[key], spec, conversion))
            for text, key, spec, conversion in self.parts
        )

    def column(self, columns: Mapping[str, Any], n: int, names: Names) -> Any:
        """Row i's words as an Arrow array (null where a value cannot be worded so: `say`
        words that row)."""
        return _said_column(self.parts, self._text_of(names), columns, n)


def _said_column(
    parts: Sequence[Piece], text_of: TextOf, columns: Mapping[str, Any], n: int
) -> Any:
    """Each row's words from a template's parts, a param at a time: each distinct value
    worded once, the pieces joined by Arrow. A param comes as `Part._columns` keeps it
    (raw): an array, Figures, Shared, Arrow text or a list. Null for a row a value of which
    cannot be worded (a reason of another version: `say` words it from itself)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    pieces: list[Any] = []
    for literal, key, spec, conversion in parts:
        pieces.append(pa.scalar(literal, text))
        if key is None:
            continue
        if key not in columns:
            return pa.nulls(n, text)
        pieces.append(_param_texts(columns[key], n, spec, conversion, text_of))
    if all(isinstance(piece, pa.Scalar) for piece in pieces):  # literals and shared values
        if not all(piece.is_valid for piece in pieces):
            return pa.nulls(n, text)
        return pa.array(["".join(piece.as_py() for piece in pieces)] * n, text)
    return pc.binary_join_element_wise(*pieces, pa.scalar("", text))


def _param_texts(column: Any, n: int, spec: str, conversion: Any, text_of: TextOf) -> Any:
    """One param's words for every row, each distinct value worded once."""
    import numpy as np
    import pyarrow as pa

    from amctl.engine.why import Shared

    if isinstance(column, Shared):  # one value for every row: a scalar Arrow joins to each
        try:
            return pa.scalar(text_of(column.value, spec, conversion), pa.large_string())
        except _UNWORDED:
            return pa.scalar(None, pa.large_string())
    plain = conversion is None and not spec
    if plain and isinstance(column, np.ndarray) and column.dtype.kind in "iu":
        return pa.array(column).cast(pa.large_string())  # Arrow writes a whole number as Python
    places = _PLACES.fullmatch(spec) if conversion is None else None
    if places and isinstance(column, np.ndarray) and column.dtype == np.float64:
        return _fixed(column, int(places.group(1)))  # a composite, distinct per manager
    gates = _CONVERSIONS["gates"]  # text already worded (`_gates`) is itself
    if conversion is gates and not spec and hasattr(column, "dictionary_encode"):
        return column.cast(pa.large_string())  # failures worded already: the text itself
    values, codes = _distinct(column, n)
    texts: list[str | None]
    try:
        texts = [text_of(value, spec, conversion) for value in values]
    except _UNWORDED:  # a value of another version: null for its rows alone
        texts = []
        for value in values:
            try:
                texts.append(text_of(value, spec, conversion))
            except _UNWORDED:
                texts.append(None)
    return pa.array(texts, pa.large_string()).take(codes)


_PLACES = re.compile(r"\.(\d)f")
_SAFE = 1e9  # x·10^places below this is within 2^-22 of exact: well inside _HAIR
_HAIR = 1e-6


def _fixed(values: Any, places: int) -> Any:
    """`format(x, f".{places}f")` of every float, by Arrow: x·10^places rounded to a whole
    number, its digits placed about the point. Where that product lies within a hair of a
    half (its own rounding could tip it, and Python rounds the exact value half to even), is
    too large to be near exact, or is NaN or infinite, Python formats the value."""
    import numpy as np
    import pyarrow as pa

    from amctl.engine.amounts import placed

    text = pa.large_string()
    with np.errstate(invalid="ignore", over="ignore"):
        product = np.abs(values) * 10**places
        ours = (product < _SAFE) & (np.abs(product - np.floor(product) - 0.5) > _HAIR)
    whole = np.floor(np.where(ours, product, 0) + 0.5).astype(np.int64)
    shown = placed(whole, places, np.signbit(values), text)  # -0.001 is "-0.00"
    theirs = np.flatnonzero(~ours)
    if not len(theirs):
        return shown
    cells = shown.to_pylist()
    for i in theirs.tolist():
        cells[i] = format(float(values[i]), f".{places}f")
    return pa.array(cells, text)


def _distinct(column: Any, n: int) -> tuple[list[Any], Any]:
    """Each distinct value of a column once, as Python's, and every row's place among them.
    A value's type is part of it (3 and 3.0 are worded apart); an array's floats by their
    bits (0.0 and -0.0 apart); a list by its items; anything else unhashable by itself."""
    import numpy as np
    import pandas as pd

    from amctl.engine.why import Figures, Shared
    from amctl.policy.checks import num

    if isinstance(column, Shared):
        return [column.value], np.zeros(n, dtype=np.int64)
    if hasattr(column, "dictionary_encode"):  # an Arrow array (words made a column at a time)
        encoded = column.dictionary_encode()
        values = encoded.dictionary.to_pylist()
        missing = len(values)  # a null: None, after the values
        codes = encoded.indices.fill_null(missing).to_numpy(zero_copy_only=False)
        return [*values, None], codes.astype(np.int64)
    if isinstance(column, np.ndarray) and column.dtype == object:  # text: a value may be None
        only_text = pd.api.types.infer_dtype(column, skipna=False) == "string"
        if only_text and set(map(type, column)) == {str}:  # str alone (no 3/3.0, no subclass)
            codes, uniques = pd.factorize(column)
            return uniques.tolist(), codes.astype(np.int64)
        column = column.tolist()
    elif isinstance(column, Figures | np.ndarray):
        array = column.values if isinstance(column, Figures) else column
        kind = array.dtype.kind
        bits = array.view(f"i{array.itemsize}") if kind == "f" else array  # 0.0, -0.0 apart
        _, firsts, places = np.unique(bits, return_index=True, return_inverse=True)
        values = array[firsts].tolist()
        return ([num(v) for v in values] if isinstance(column, Figures) else values), places
    seen: dict[Any, int] = {}
    try:
        codes = [seen.setdefault((v.__class__, v), len(seen)) for v in column]
    except TypeError:
        seen.clear()
        codes = [seen.setdefault(_hashable(v), len(seen)) for v in column]
    places = np.asarray(codes, dtype=np.int64)
    _, firsts = np.unique(places, return_index=True)  # codes count up as values are first seen
    values = [column[i] for i in firsts.tolist()]
    apart = {
        code
        for code, value in enumerate(values)
        if isinstance(value, Decimal) or (isinstance(value, float | np.floating) and value == 0)
    }
    if apart:  # equal, and written apart: 0.0 and -0.0, Decimal 1.0 and 1
        written: dict[tuple[int, str], int] = {}
        for row in np.flatnonzero(np.isin(places, list(apart))).tolist():
            code = int(places[row])
            key = (code, repr(column[row]))
            if key not in written:  # a code's first row keeps it; another writing, a new one
                written[key] = code if code in apart else len(values)
                if code in apart:
                    apart.discard(code)
                else:
                    values.append(column[row])
            places[row] = written[key]
    return values, places


def _hashable(value: Any) -> Any:
    """A value as a dict key: a list by what it writes, else itself with its type, else by
    itself (an object that cannot be a key)."""
    if isinstance(value, list):
        return (list, repr(value))
    key = (value.__class__, value)
    try:
        hash(key)
    except TypeError:
        return (id, id(value))
    return key


def _gates(p: Mapping[str, Any], n: Names, lang: str) -> str:
    """The failed gates in words: worded here, or already, joined (`Why.joined`'s)."""
    failures = p["failures"]
    if isinstance(failures, str):
        return failures
    return _joiner(lang).join(say(f, lang, n) for f in failures)


def _split(p: Mapping[str, Any], zh: bool) -> str:
    if zh:
        return "，".join(f"{name} {size} 人" for name, size in p["split"])
    return ", ".join(f"{name} {size}" for name, size in p["split"])


Words = dict[str, Callable[[dict[str, Any], Names], str]]

_CONVERSIONS: dict[str, Convert] = {  # what a template's {key!conversion} does to the value
    "level": lambda value, n: n.level(value),
    "gates": lambda value, n: _gates({"failures": value}, n, n.lang),
    "split": lambda value, n: _split({"split": value}, n.zh),
    "rounded": lambda value, n: _rounded(value),
}

_EN: Words = {
    "trainee": Template("trainee: {months} full months in post < {need}"),
    "rank": Template("rank {n} of {of} by composite {composite:.2f}"),
    "not_eligible": Template("not eligible for {level!level}: {failures!gates}"),
    "capped": Template("capped by the {level!level} quota ({taken} of {seats} seats taken)"),
    "floors": Template("kept out of {level!level} by the quota floors of the levels below"),
    "overflow": Template(
        "no level it may enter has a seat left: placed in {level!level} over its quota "
        "({n} for {seats} seats; caps rounded {rounding})"
    ),
    "seat": Template("{level!level}: seat {n} of {seats}"),
    "band.split": Template("band {band}: {n} of {of} in {level!level} (split {split!split})"),
    "band.cut": lambda p, n: (
        f"band {p['band']}: composite {p['composite']:.2f} "
        + (f"≥ {p['cut']}" if p["cut"] is not None else "below the cuts")
    ),
    "no_history": Template("no recorded previous period: this period's grade stands"),
    "unknown_previous": Template("previous level {held} is not in this policy: this grade stands"),
    "step_limit": Template(
        "{level!level} would be a {step}-level jump from {held!level}; "
        "at most {most} per period: {to!level}"
    ),
    "graduated": Template("graduated from trainee into {to!level}"),
    "promotion_wait": Template(
        "promotion to {to!level} needs {need} qualifying periods in a row; "
        "{streak} so far: stays {held!level}"
    ),
    "promoted": Template("promoted from {held!level} to {to!level}"),
    "improvement": Template(
        "below the {held!level} bar for {below} of {need} periods "
        "(improvement period): stays {held!level}"
    ),
    "demoted": Template(
        "demoted from {held!level} to {to!level} after {below} periods below the bar"
    ),
    "rater_gap": lambda p, n: (
        f"ability: no rating from {', '.join(p['raters'])} on some indicator; the weights of "
        "the raters present were scaled up to 100 (missing_rater: renormalise)"
    ),
    "override": lambda p, n: (
        f"calibration override to {n.tier(p['tier'])} by {p['by']} ({p['why']})"
        + (f": {p['comment']}" if p.get("comment") else "")
    ),
    "override_gates": lambda p, n: (
        f"the override passes over the {n.level(p['level'])} gates: {_gates(p, n, 'en')}"
    ),
    "held.level": lambda p, n: (
        f"level kept: {p['review']} moves bands only; {n.level(p['level'])} "
        f"in force since {_since(p, 'en')}"
    ),
    "held.tier": lambda p, n: (
        f"tier kept: {p['review']} moves neither level nor band; {n.tier(p['tier'])} "
        f"in force since {_since(p, 'en')}"
    ),
}

_ZH: Words = {
    "trainee": Template("见习期：任职满 {months} 个月，未满 {need} 个月"),
    "rank": Template("综合得分 {composite:.2f}，排名 {n}/{of}"),
    "not_eligible": Template("不符合{level!level}条件：{failures!gates}"),
    "capped": Template("{level!level}名额已满（{seats} 个名额已占 {taken} 个）"),
    "floors": Template("需为下级保留最低名额，未进入{level!level}"),
    "overflow": Template(
        "可进入的等级均无空余名额：超额列入{level!level}"
        "（第 {n} 人，名额 {seats} 个，{rounding!rounded}）"
    ),
    "seat": Template("{level!level}：第 {n} 个名额，共 {seats} 个"),
    "band.split": Template("档次 {band}：{level!level}中第 {n}/{of} 名（划分 {split!split}）"),
    "band.cut": lambda p, n: (
        f"档次 {p['band']}：综合得分 {p['composite']:.2f} "
        + (f"≥ {p['cut']}" if p["cut"] is not None else "低于各档分界")
    ),
    "no_history": Template("无上期记录：以本期评定为准"),
    "unknown_previous": Template("上期等级 {held} 不在本政策中：以本期评定为准"),
    "step_limit": Template(
        "由{held!level}到{level!level}跨 {step} 级，每期至多 {most} 级：{to!level}"
    ),
    "graduated": Template("见习期满，转正为{to!level}"),
    "promotion_wait": Template(
        "晋升{to!level}需连续 {need} 期达标，目前 {streak} 期：保持{held!level}"
    ),
    "promoted": Template("由{held!level}晋升为{to!level}"),
    "improvement": Template(
        "低于{held!level}标准 {below} 期（{need} 期后降级，改进期）：保持{held!level}"
    ),
    "demoted": Template("连续 {below} 期低于标准，由{held!level}降为{to!level}"),
    "rater_gap": lambda p, n: (
        f"能力：部分指标缺少{'、'.join(p['raters'])}的评分，其余评价人的权重已按比例放大到 100"
    ),
    "override": lambda p, n: (
        f"校准调整为{n.tier(p['tier'])}，批准人 {p['by']}（{p['why']}）"
        + (f"：{p['comment']}" if p.get("comment") else "")
    ),
    "override_gates": lambda p, n: (
        f"该调整未满足{n.level(p['level'])}的资格条件：{_gates(p, n, 'zh')}"
    ),
    "held.level": lambda p, n: (
        f"等级不变：{p['review']}只调整档次；{n.level(p['level'])}自{_since(p, 'zh')}起执行"
    ),
    "held.tier": lambda p, n: (
        f"等级档次不变：{p['review']}不调整等级和档次；{n.tier(p['tier'])}自{_since(p, 'zh')}起执行"
    ),
}


def _since(p: dict[str, Any], lang: str) -> str:
    """The period a kept level or band was set in, or the roster's current tier column."""
    if p["since"] == "roster":
        return "花名册现等级" if lang == "zh" else "the roster's current tier"
    return f" {p['since']} " if lang == "zh" else str(p["since"])


class _Gate:
    """A failed gate in the words the findings use for it (one catalogue for both). A gate
    failure has a few values (years 0-4, the exam marks), and an export words it for tens of
    thousands of managers: each distinct one is worded once, and a column of them a field
    of the catalogue's template at a time."""

    def __init__(self, code: str, lang: str) -> None:
        self.key, self.lang = f"pipeline.gate.{code}", lang
        self._said: dict[str, str] = {}  # a failure's params as written → its words

    def __call__(self, p: dict[str, Any], n: Names) -> str:
        # the params as written are the key: 3 and 3.0, or 0.0 and -0.0, are equal and
        # worded apart
        key = repr(p)
        text = self._said.get(key)
        if text is None:
            text = say_message(Said(self.key, dict(p)), self.lang, field_word())
            if len(self._said) < 1 << 14:
                self._said[key] = text
        return text

    def column(self, columns: Mapping[str, Any], n: int, names: Names) -> Any:
        parts = template_parts(self.key, self.lang)
        if parts is None:
            return _each_distinct(self, columns, n, names)
        text_of = field_text(self.lang, field_word())
        return _said_column(parts, text_of, columns, n)


for _code in ("years", "education", "no_exam", "exam", "score", "condition"):
    _EN[f"gate.{_code}"] = _Gate(_code, "en")
    _ZH[f"gate.{_code}"] = _Gate(_code, "zh")


DOCUMENTS: dict[str, tuple[str, str]] = {  # the report's and the statements' own words
    # the report  # the report's own words: (zh, en)
    "report": ("客户经理分级报告", "Account manager grading report"),
    "headline": ("概况", "At a glance"),
    "roster": ("花名册", "On the roster"),
    "graded": ("已评定", "Graded"),
    "not_graded": ("未评定", "Not graded"),
    "trainees": ("见习", "Trainees"),
    "up": ("晋升", "Up"),
    "down": ("降级", "Down"),
    "pay_total": ("薪酬总额", "Pay in all"),
    "results": ("评定结果（按等级档次）", "Results by tier"),
    "deciding": ("决定依据", "What decided it"),
    "listed": (
        "共 {total} 人，此处列出前 {shown} 人；评定表列出全部人员。",
        "The first {shown} of {total} are listed here; the grading table lists everyone.",
    ),
    "none_blocked": ("花名册每一行均已评定。", "Every roster row is graded."),
    "grid": ("九宫格", "9-box"),
    "grid_note": (
        "能力分界 {a0} / {a1}，绩效分界 {p0} / {p1}。",
        "Ability cuts {a0} / {a1}; performance cuts {p0} / {p1}.",
    ),
    "trainee_list": (
        "见习客户经理（不进入九宫格与名额）：",
        "Trainees (outside the grid and the quotas): ",
    ),
    "quotas": ("名额", "Tiers against quotas"),
    "cap_rule": (
        "上限 {pct}% × {base} 人 = {seats} 个名额（{rounding}）",
        "cap {pct}% of {base} managers = {seats} seats ({rounding})",
    ),
    "round_floor": ("向下取整", "rounded down"),
    "round_ceil": ("向上取整", "rounded up"),
    "round_half_up": ("四舍五入", "rounded half up"),
    "calibration": ("校准（按部门）", "Calibration by org unit"),
    "calibration_note": (
        "部门平均综合得分偏离全公司超过 {z} 个标准误时标出：请核查该部门的评分尺度。",
        "A unit is flagged when its mean composite lies more than {z} standard errors from "
        "the company's: check how its raters scored.",
    ),
    "mean": ("平均综合得分", "mean"),
    "payroll": ("薪酬", "Payroll"),
    "no_pay": ("政策没有薪酬部分。", "The policy has no pay section."),
    "movements": ("变动", "Movements"),
    "against": ("对比：{x}。", "Against {x}."),
    "against_roster": ("花名册现等级", "the roster's current tiers (现等级)"),
    "against_none": ("无：没有更早的等级", "nothing: no earlier tier is known"),
    "confidential": ("保密", "Confidential"),
    "printed": (
        "政策 {policy} {version} · {period} · 截至 {date}",
        "policy {policy} {version} · {period} · as of {date}",
    ),
    # the statements  # the documents' own words: (zh, en)
    "slips": ("工资条", "Pay slips"),
    "notices": ("评定结果通知单", "Grading notices"),
    "notice": ("客户经理评定结果通知单", "Account manager grading notice"),
    "period": ("考核期", "Period"),
    "result": ("评定结果", "Result"),
    "previous": ("上期", "Previous"),
    "movement": ("变动", "Movement"),
    "scores": ("得分", "Scores"),
    "cuts": ("分界", "cuts"),
    "band": ("档", "band"),
    "rank": ("排名", "Rank"),
    "cell": ("九宫格", "Grid cell"),
    "training": ("培训建议", "Training"),
    "none": ("无", "none"),
    "pay": ("本期薪酬", "Pay this period"),
    "why": ("评定依据", "Why"),
    "not graded": ("未评定", "Not graded"),
    "outside_grid": ("—（见习期不进入九宫格）", "— (trainees stand outside the grid)"),
    # the terminal
    "t.head": (
        "amctl {command} · 政策 {name} {version}（{path}）· "
        "考核期 {period}，截至 {end}（取自 {origin}）",
        "amctl {command} · policy {name} {version} ({path}) · period {period}, as of {end} "
        "(from {origin})",
    ),
    "t.pay_head": (
        "amctl {command} · 政策 {name} {version}（{path}）· "
        "期间 {period}（{start} – {end}）· {currency}",
        "amctl {command} · policy {name} {version} ({path}) · quarter {period} ({start} – {end}) "
        "· {currency}",
    ),
    # amctl policy diff: the text and the markdown posted on a pull request
    "diff.title": ("政策 {title}：{n} 处变更", "policy {title}: {n} change(s)"),
    "diff.impact": (
        "对 {period} 的影响：{n} 人，其中 {moved} 人等级档次变动",
        "impact on {period}: {n} managers, {moved} change tier",
    ),
    "diff.moved": (
        "{eid} {name}（{unit}）：{old} → {new}（{move}）",
        "{eid} {name} ({unit}): {old} → {new} ({move})",
    ),
    "diff.pay": ("薪酬：{old} → {new}（{delta}）", "pay: {old} → {new} ({delta})"),
    "diff.pay_person": (
        "{eid} {name}：{old} → {new}（{delta}）",
        "{eid} {name}: {old} → {new} ({delta})",
    ),
    "diff.by_org_unit": ("按部门：", "by org unit:"),
    "diff.by_new_tier": ("按新等级档次：", "by new tier:"),
    "diff.group": (
        "{group}：{n} 人，上调 {up} 人，下调 {down} 人",
        "{group}: {n} managers, {up} up, {down} down",
    ),
    "diff.group_pay": ("，薪酬 {delta}", ", pay {delta}"),
    "diff.md_title": ("### 政策变更：{title}", "### Policy change: {title}"),
    "diff.md_setting": ("设置", "setting"),
    "diff.md_before": ("变更前", "before"),
    "diff.md_after": ("变更后", "after"),
    "diff.md_kind": ("类别", "kind"),
    "diff.md_no_change": ("规则没有实质变更。", "No change in meaning."),
    "diff.md_impact": ("### 对 {period} 的影响", "### Impact on {period}"),
    "diff.md_moves": (
        "共 {n} 人：{up} 人上调，{down} 人下调。",
        "{n} managers: {up} move up, {down} move down.",
    ),
    "diff.md_pay": ("期间薪酬合计变动 {total}。", "Pay changes by {total} in all."),
    "diff.md_org_unit": ("部门", "org unit"),
    "diff.md_tier": ("等级档次", "tier"),
    "diff.md_managers": ("人数", "managers"),
    "diff.md_up": ("上调", "up"),
    "diff.md_down": ("下调", "down"),
    "diff.md_pay_change": ("薪酬变动", "pay change"),
    "diff.md_small": ("不足 {n} 人的组", "groups under {n}"),
    # amctl policy test, fmt and migrate
    "t.policy_ok": ("通过 {file}：{case}", "ok   {file}: {case}"),
    "t.policy_fail": ("失败 {file}：{case}", "FAIL {file}: {case}"),
    "t.policy_tests": ("{passed} 个通过，{failed} 个失败", "{passed} passed, {failed} failed"),
    "t.policy_would_reformat": ("需重新排版 {path}", "would reformat {path}"),
    "t.policy_reformatted": ("已重新排版 {path}", "reformatted {path}"),
    "t.policy_would_change": ("{n} 个政策文件需重新排版", "{n} policy file(s) would change"),
    "t.policy_changed": ("已重新排版 {n} 个政策文件", "{n} policy file(s) changed"),
    "t.policy_before": ("{path} (升级前)", "{path} (before)"),
    "t.policy_after": ("{path} (升级后)", "{path} (after)"),
    "t.policy_upgraded": (
        "已升级 {path}；请对它运行 amctl policy check",
        "upgraded {path}; run amctl policy check on it",
    ),
    "t.policy_need_upgrading": ("{n} 个政策文件需要升级", "{n} policy file(s) need upgrading"),
    "t.policy_n_upgraded": ("已升级 {n} 个政策文件", "{n} upgraded"),
    "t.id": ("员工编号", "ID"),
    "t.name": ("姓名", "Name"),
    "t.unit": ("部门", "Unit"),
    "t.years": ("年限", "Yrs"),
    "t.ability": ("能力", "Ability"),
    "t.performance": ("绩效", "Perf."),
    "t.composite": ("综合", "Composite"),
    "t.rank": ("排名", "Rank"),
    "t.cell": ("九宫格", "Grid cell"),
    "t.tier": ("评定结果", "Tier"),
    "t.was": ("上期", "Was"),
    "t.move": ("变动", "Move"),
    "t.graded": ("已评定 {n} 人", "{n} managers graded"),
    "t.first": (
        "按员工编号显示前 {rows} 人，共 {n} 人；-o 写出全部",
        "the first {rows} of {n} by employee id; -o writes them all",
    ),
    "t.left_out": (
        "为适应 {room} 列宽未显示：{columns}（--wide 显示全部列；-o 写出每一列）",
        "left out to fit {room} columns: {columns} (--wide shows them; -o writes every column)",
    ),
    "t.quotas": ("名额（基数 {n} 人）", "Tiers against quotas (base {n} managers)"),
    "t.level": ("等级", "Level"),
    "t.label": ("名称", "Label"),
    "t.cap": ("上限", "Cap"),
    "t.seats": ("名额", "Seats"),
    "t.placed": ("人数", "Placed"),
    "t.share": ("占比", "Share"),
    "t.status": ("状态", "Status"),
    "t.boundary": ("边界", "Boundary"),
    "t.ok": ("正常", "ok"),
    "t.over": ("超出 {n}", "over by {n}"),
    "t.over_rules": ("规则调整后超出 {n}", "over by {n} after the rules"),
    "t.under": ("低于下限 {n}", "under floor {n}"),
    "t.not_ranked": ("不参加排名", "not ranked"),
    "t.last_in": ("末位入选 {id}（{score}）", "last in {id} ({score})"),
    "t.first_out": ("首位落选 {id}（{score}）", "first out {id} ({score})"),
    "t.summary": (
        "花名册 {rows} 行：已评定 {graded}，未评定 {blocked}。",
        "{rows} roster rows: {graded} graded, {blocked} not graded.",
    ),
    "t.blocked": ("未评定 {n} 行：", "{n} roster rows not graded:"),
    "t.error": ("错误：", "error: "),
    "t.more_problems": ("（另有 {n} 个问题未显示）", " ({n} more problems not shown)"),
    "t.interrupted": ("已中断", "interrupted"),
    "t.out_of_memory": (
        "内存不足：输入超出本机所能容纳（或被构造成如此）；读取上限由 AMCTL_MAX_INPUT_BYTES、"
        "AMCTL_MAX_CELLS、AMCTL_MAX_ROWS 设定，见 README",
        "ran out of memory: the input is larger than this machine can hold, or built to be; "
        "the budgets (AMCTL_MAX_INPUT_BYTES, AMCTL_MAX_CELLS, AMCTL_MAX_ROWS) bound what is "
        "read, see the README",
    ),
    "t.bug": (
        "内部错误（amctl 的缺陷，不是您文件的问题）：{kind}：{detail}。"
        "请加 --debug 重新运行以查看回溯信息，并报告此问题。",
        "internal error (a bug in amctl, not in your files): {kind}: {detail}. "
        "Rerun with --debug for the traceback and report it.",
    ),
    "t.hint_closed": (
        '如需替换已记录的运行，请加 --replace --reason "原因"',
        'to replace the recorded run pass --replace --reason "why"',
    ),
    "t.hint_exists": ("加 --force 可替换它", "pass --force to replace it"),
    "t.hint_table": ("请用 --{table} 文件 指定", "pass --{table} FILE"),
    "t.more_findings": (
        "… 另有 {n} 个问题：用 -o 写出全部。",
        "… and {n} more findings: write them all with -o.",
    ),
    "t.note": ("提示：", "note: "),
    "t.warning": ("警告：", "warning: "),
    "t.wrote": ("已写出 {path}", "wrote {path}"),
    "t.diff_title": (
        "{period} 已记录（运行 {run}），本次结果与之不同",
        "{period} is recorded (run {run}); this run differs",
    ),
    "t.diff_back_pay": ("（补发）", " (back pay)"),
    "t.recorded_tier": ("记录的等级档次", "Recorded tier"),
    "t.now": ("本次", "Now"),
    "t.recorded_pay": ("记录的薪酬", "Recorded pay"),
    "t.back_pay": ("补发", "Back pay"),
    "t.differ": ("{n} 人与记录不同", "{n} manager(s) differ from the record"),
    "t.differ_pay": ("；补发合计 {total}。", "; back pay {total} in all."),
    "t.stop": ("。", "."),
    "t.recorded": ("已记录", "recorded"),
    "t.replaced": ("已替换", "replaced"),
    "t.completed": ("已记录的运行补上了薪酬", "recorded run completed with its pay"),
    "t.unchanged": ("已记录，无变化", "already recorded, unchanged"),
    "t.recorded_line": (
        "{period}：{action}（台账运行 {run}）",
        "{period}: {action} (ledger run {run})",
    ),
    "t.later_new": (
        "{periods} 在本期之前已记录，其动态规则没有读取本期；请重新运行它们查看变化，需要时替换",
        "{periods} were recorded before this period, and their dynamic rules did not read it; "
        "run them again to see what changes, and replace them if need be",
    ),
    "t.later": (
        "{periods} 是在被替换的运行之上记录的（其动态规则读取它的等级档次）；"
        "请重新运行它们查看变化，并一并替换",
        "{periods} were recorded on top of the replaced run (their dynamic rules read its tiers); "
        "run them again to see what changes, and replace them too",
    ),
    "t.closed_blocked": (
        "花名册有 {n} 行未评定，在已记录的期间中不发薪（`amctl grade` 列出原因）；"
        '修正后用 --replace --reason "…" 重新结账',
        "{n} roster row(s) were not graded and are not paid in the recorded quarter "
        '(`amctl grade` lists why); fix them and close it again with --replace --reason "…"',
    ),
    "t.read_from": ("读取位置", "Read from"),
    "t.table": ("表", "Table"),
    "t.sheet": ("工作表", "Sheet"),
    "t.row": ("行", "Row"),
    "t.field": ("字段", "Field"),
    "t.column": ("列", "Column"),
    "t.header": ("表头", "Header"),
    "t.not_read": ("（未读取）", "(not read)"),
    "t.roster_checked": (
        "花名册 {rows} 行（{counts}）：{n} 个问题",
        "{rows} roster rows ({counts}): {n} problem(s)",
    ),
    "t.no_quarter": ("尚未记录任何期间", "no quarter is recorded yet"),
    "t.recorded_quarters": ("已记录的期间", "Recorded quarters"),
    "t.quarter": ("期间", "Period"),
    "t.set_by": ("定级/定档", "Level/band set"),
    "t.in_force": (
        "现行 {tier}：等级由 {level_set} 评定，档次由 {band_set} 评定",
        "in force: {tier}, its level set by {level_set}, its band by {band_set}",
    ),
    "t.roster_tier": ("花名册现等级", "the roster"),
    "t.run": ("运行", "Run"),
    "t.recorded_at": ("记录时间", "Recorded at"),
    "t.policy": ("政策", "Policy"),
    "t.pay_total": ("薪酬合计", "Pay total"),
    "t.grading_only": ("—（仅评定）", "— (grading only)"),
    "t.audit_empty": (
        "审计记录为空：尚未记录任何内容",
        "the audit trail is empty: nothing recorded yet",
    ),
    "t.audit": ("审计记录", "Audit trail"),
    "t.at": ("时间", "At"),
    "t.action": ("操作", "Action"),
    "t.replaced_run": ("被替换的运行", "Replaced run"),
    "t.reason": ("原因", "Reason"),
    "t.ranked": ("排名等级", "Ranked"),
    "t.pay": ("薪酬", "Pay"),
    "t.from": ("自 {tier}", "from {tier}"),
    "t.move_from": ("{move}，自 {tier}", "{move} from {tier}"),
    "t.changed_since": ("{period} 记录后已有变化：", "{period} changed since it was recorded: "),
    "t.changed": ("记录后已有变化：", "changed since it was recorded: "),
    "t.recorded_as": ("已记录（台账运行 {run}）", "recorded (ledger run {run})"),
    "t.computed": ("本次计算", "computed"),
    "t.policy_named": ("政策 {name} {version}", "policy {name} {version}"),
    "t.dimension": (
        "{dim}：{score}（在综合得分中权重 {weight}）",
        "{dim}: {score} (weight {weight} in the composite)",
    ),
    "t.indicator": ("指标", "Indicator"),
    "t.raw": ("原始值", "Raw"),
    "t.score": ("得分", "Score"),
    "t.weight": ("权重", "Weight"),
    "t.points": ("折合分", "Points"),
    "t.target": (" / 目标 {target}", " / target {target}"),
    "t.grid_line": (
        "综合得分 {composite} · 九宫格：能力 {ability}，绩效 {performance} → {cell}",
        "composite {composite} · grid: ability {ability}, performance {performance} → {cell}",
    ),
    "t.no_cell": ("无（缺少得分）", "no cell (a score is missing)"),
    "t.tier_line": (
        "评定结果 {tier}（排名给出 {level}）",
        "tier {tier} (the ranking gave {level})",
    ),
    "t.training": ("培训建议：{training}", "training: {training}"),
    "t.pay_title": ("薪酬（{tier}，{days} 天）", "pay ({tier}, {days} days)"),
    "t.component": ("项目", "Component"),
    "t.worked": ("计算过程", "Worked, with the values"),
    "t.amount": ("金额", "Amount"),
    "t.per_month": ("每月", "per month"),
    "t.per_period": ("每期", "per period"),
    "t.months": (" × {n} 个月", " × {n} months"),
    "t.days": (" × {days}/{period_days} 天", " × {days}/{period_days} days"),
    "t.policies_checked": ("已检查 {n} 个政策文件：", "{n} policy file(s) checked: "),
    "t.n_errors": ("{n} 个错误", "{n} error(s)"),
    "t.valid": ("有效", "valid"),
    "t.n_warnings": ("，{n} 个警告", ", {n} warning(s)"),
    "t.current_tiers": ("现有等级：", "current tiers: "),
    "t.not_paid": (
        "花名册有 {n} 行未评定，不发薪；`amctl grade` 列出原因。",
        "{n} roster rows were not graded and are not paid; `amctl grade` lists them with the "
        "reasons.",
    ),
    "t.no_font": (
        "本机没有中文字体：图中以员工编号代替姓名（安装 fonts-noto-cjk 或 `pip install mplfonts`）",
        "no Chinese font on this machine: the picture shows employee ids "
        "(install fonts-noto-cjk or `pip install mplfonts`)",
    ),
    "current_tiers_place": ("花名册：现有等级", "roster: current tiers"),
    "t.record_needs_quarter": (
        "--record 需要一个期间（请加 --quarter）：按日期（as-of）的运行不记入台账",
        "--record needs a quarter (pass --quarter): an as-of run is not recorded",
    ),
    "t.created": ("已创建 {path}", "created {path}"),
    "t.next": (
        "下一步：cd {folder} && git init && amctl close {quarter}（其余见 README.md）",
        "next: cd {folder} && git init && amctl close {quarter}  (README.md has the rest)",
    ),
    "t.pay_by_tier": ("薪酬（按等级档次）", "Pay by tier"),
    "t.pay_by_unit": ("薪酬（按部门）", "Pay by org unit"),
    "t.managers": ("人数", "Managers"),
    "t.total": ("合计", "Total"),
    "t.all": ("合计", "all"),
    "t.paid": (
        "已发放 {n} 人，合计 {total}{currency}。",
        "{n} managers paid, total {total}{currency}.",
    ),
    "sign": ("本人签收：__________    日期：__________", "Received by: __________  Date: ______"),
}


def _rounded(rule: str) -> str:
    key = f"round_{rule}"
    return f"名额{DOCUMENTS[key][0]}" if key in DOCUMENTS else rule


def wording(lang: str) -> Callable[[str], str]:
    """key → the report's or the statements' words in `lang`."""
    at = 0 if lang == "zh" else 1
    return lambda key: DOCUMENTS[key][at]
