"""The pay formula language: a closed, typed subset of Python expressions.

A formula is parsed with `ast` and rebuilt into a small typed tree from an allow-list: numbers,
names from the documented scope, + - * /, a bounded `**`, comparisons, and/or/not,
`a if c else b`, table look-ups `table[key]`, the functions in FUNCTIONS and the aggregates in
AGGREGATES (totals over the manager's org unit or the whole run). Anything else —
attribute access, calls outside the list, lambdas, comprehensions, literals of containers,
f-strings — is refused with its position, so nothing a policy says can run as code. The tree is
checked once (names, arity, types, table coverage) and evaluated over whole columns.
"""

from __future__ import annotations

import ast
import difflib
import io
import tokenize
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from amctl.messages import Said, said, say

MAX_LENGTH = 1000
MAX_NODES = 200
MAX_EXPONENT = 10
MAX_CONSTANT = Decimal(10) ** 12
MAX_STRING = 64

Type = Literal["num", "str", "bool", "date"]
MODES = ("marginal", "flat", "rate")
# name → (min args, max args); brackets also takes mode=
FUNCTIONS: dict[str, tuple[int, int]] = {
    "min": (2, 8),
    "max": (2, 8),
    "abs": (1, 1),
    "round": (1, 2),
    "clamp": (3, 3),
    "brackets": (2, 2),
    "years_since": (1, 1),
    "months_since": (1, 1),
}
# name → (over whom, what): over the manager's org unit (org_unit) or everyone in the run
AGGREGATES: dict[str, tuple[str, str]] = {
    "unit_sum": ("unit", "sum"),
    "unit_mean": ("unit", "mean"),
    "unit_count": ("unit", "count"),
    "company_sum": ("company", "sum"),
    "company_mean": ("company", "mean"),
    "company_count": ("company", "count"),
}
SINCE = ("years_since", "months_since")  # full years / months from a date to the period's end


class FormulaError(Exception):
    """A refused formula, with the 0-based column of the offending part within its text.
    `said` is the message as data; `message` (and `str()`) its English."""

    def __init__(self, what: Said, col: int = 0, rule: str = "AMF001") -> None:
        self.said, self.message, self.col, self.rule = what, say(what), col, rule
        super().__init__(self.message)


@dataclass(frozen=True)
class Scope:
    """What a formula may name: typed variables (strings with their possible values), tables
    (with their keys) and bracket tables. `later` holds components defined after this one."""

    variables: Mapping[str, Type]
    domains: Mapping[str, frozenset[str]]
    tables: Mapping[str, frozenset[str]]
    brackets: frozenset[str]
    later: frozenset[str] = frozenset()


# --- the typed tree --------------------------------------------------------------------------


@dataclass(frozen=True)
class Const:
    value: Decimal | str | bool


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Arith:
    op: str  # + - * / **
    left: Node
    right: Node


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class Logic:
    op: str  # and / or
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Compare:
    """A comparison chain `a < b <= c`: each operand is built and evaluated once."""

    ops: tuple[str, ...]  # < <= > >= == !=
    operands: tuple[Node, ...]  # one more than ops


@dataclass(frozen=True)
class If:
    test: Node
    then: Node
    orelse: Node


@dataclass(frozen=True)
class Call:
    fn: str
    args: tuple[Node, ...]
    table: str | None = None  # brackets(): the bracket table
    mode: str | None = None


@dataclass(frozen=True)
class Lookup:
    table: str
    key: Node


@dataclass(frozen=True)
class Aggregate:
    """unit_sum(x) …, company_count(): one value per manager, taken over a group of rows; the
    argument is whole columns of the run, so it never holds another aggregate."""

    fn: str
    over: str  # unit / company
    stat: str  # sum / mean / count
    arg: Node | None  # None for a count
    text: str = ""  # the argument as written, for explain


Node = Const | Var | Arith | Neg | Not | Logic | Compare | If | Call | Lookup | Aggregate


@dataclass(frozen=True)
class Formula:
    source: str
    tree: Node
    type: Type
    names: frozenset[str]  # variables it reads


# --- compile ---------------------------------------------------------------------------------

_ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_REFUSED = {  # the construct → its message key, formula.construct.<key>
    ast.Attribute: "attribute",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehension",
    ast.SetComp: "comprehension",
    ast.DictComp: "comprehension",
    ast.GeneratorExp: "generator",
    ast.List: "list",
    ast.Tuple: "tuple",
    ast.Dict: "dict",
    ast.Set: "set",
    ast.JoinedStr: "fstring",
    ast.NamedExpr: "assignment",
    ast.Starred: "unpacking",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slice",
}


def _refused(construct: str) -> Said:
    return said("formula.refused", what=said(f"formula.construct.{construct}"))


def compile_formula(source: str, scope: Scope) -> Formula:
    """Parse, allow-list and type-check one formula; FormulaError says what and where."""
    if len(source) > MAX_LENGTH:
        raise FormulaError(
            said("formula.too_long", length=len(source), limit=MAX_LENGTH), 0, "AMF007"
        )
    text = source.strip()
    lead = len(source) - len(source.lstrip())
    unreadable = _ascii_names(text, lead)
    try:
        formula = _compile(source, text, lead, scope)
    except FormulaError as exc:
        if unreadable is not None and unreadable.col < exc.col:
            raise unreadable from None  # the leftmost problem first
        raise
    if unreadable is not None:
        raise unreadable
    return formula


def _compile(source: str, text: str, lead: int, scope: Scope) -> Formula:
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        col = lead + max((exc.offset or 1) - 1, 0)
        raise FormulaError(said("formula.syntax", detail=str(exc.msg)), col, "AMF000") from None
    except (RecursionError, MemoryError):
        raise FormulaError(said("formula.too_deep"), 0, "AMF007") from None
    except ValueError as exc:  # e.g. a NUL character
        raise FormulaError(said("formula.unreadable", detail=str(exc)), 0, "AMF000") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise FormulaError(
            said("formula.too_many_parts", count=count, limit=MAX_NODES), 0, "AMF007"
        )
    builder = _Builder(scope, lead, text)
    for part in ast.walk(tree.body):  # the dangerous construct, wherever it hides, is named first
        for refused, what in _REFUSED.items():
            if isinstance(part, refused):
                raise builder.fail(part, _refused(what))
    node, kind = builder.build(tree.body)
    return Formula(source, node, kind, frozenset(builder.names))


def _ascii_names(text: str, lead: int) -> FormulaError | None:
    """Python reads ｂａｓｅ, ﬁ or 𝐛𝐚𝐬𝐞 as base (NFKC): the run sheet would show one text
    while another name is paid. Names are plain ASCII; text in quotes may be anything. An
    ASCII formula has no other names: its tokens are not read (the tokenizer compiles its
    patterns on first use, 3 ms of `amctl policy check`)."""
    if text.isascii():
        return None

    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.NAME and not tok.string.isascii():
                same = unicodedata.normalize("NFKC", tok.string)
                what = (
                    said("formula.not_ascii_read_as", name=tok.string, same=same)
                    if same != tok.string
                    else said("formula.not_ascii", name=tok.string)
                )
                return FormulaError(
                    what,
                    lead + tok.start[1] if tok.start[0] == 1 else 0,
                    "AMF010",
                )
    except (tokenize.TokenError, SyntaxError, ValueError):
        return None  # not even tokens: the parser says what is wrong
    return None


class _Builder:
    def __init__(self, scope: Scope, lead: int, text: str) -> None:
        self.scope, self.lead, self.text = scope, lead, text
        self.names: set[str] = set()
        self.within: str | None = None  # the aggregate whose argument is being built

    def fail(self, node: ast.AST, message: Said, rule: str = "AMF001") -> FormulaError:
        """The column is in characters of the first line (ast counts UTF-8 bytes)."""
        if getattr(node, "lineno", 1) != 1:
            return FormulaError(message, 0, rule)
        first = self.text.splitlines()[0] if self.text else ""
        offset = getattr(node, "col_offset", 0)
        chars = len(first.encode("utf-8")[:offset].decode("utf-8", "ignore"))
        return FormulaError(message, self.lead + chars, rule)

    def build(self, node: ast.expr) -> tuple[Node, Type]:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise self.fail(node, said("formula.not_allowed", text=ast.unparse(node)))
        result: tuple[Node, Type] = method(node)
        return result

    def expect(self, node: ast.expr, want: Type, what: Said) -> Node:
        built, kind = self.build(node)
        if kind != want:
            message = said("formula.wrong_type", what=what, want=_named(want), got=_named(kind))
            raise self.fail(node, message, "AMF003")
        return built

    def _Constant(self, node: ast.Constant) -> tuple[Node, Type]:
        value = node.value
        if isinstance(value, bool):
            return Const(value), "bool"
        if isinstance(value, int | float):
            number = Decimal(str(value))
            if not number.is_finite() or abs(number) > MAX_CONSTANT:
                raise self.fail(node, said("formula.out_of_range", value=str(value)), "AMF007")
            return Const(number), "num"
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                raise self.fail(node, said("formula.text_too_long", limit=MAX_STRING), "AMF007")
            return Const(value), "str"
        raise self.fail(node, said("formula.value_not_allowed", value=repr(value)))

    def _Name(self, node: ast.Name) -> tuple[Node, Type]:
        name = node.id
        if name in self.scope.later:
            raise self.fail(node, said("formula.defined_later", name=name), "AMF008")
        kind = self.scope.variables.get(name)
        if kind is None:
            if name in self.scope.tables:
                raise self.fail(node, said("formula.is_table", name=name), "AMF003")
            if name in self.scope.brackets:
                raise self.fail(node, said("formula.is_bracket_table", name=name), "AMF003")
            hint = _hint(name, self.scope)
            raise self.fail(node, said("formula.unknown_name", name=name, hint=hint), "AMF002")
        if kind == "date":  # a date is read only through years_since / months_since
            raise self.fail(node, said("formula.date_only_since", name=name), "AMF003")
        self.names.add(name)
        return Var(name), kind

    def _BinOp(self, node: ast.BinOp) -> tuple[Node, Type]:
        op = _ARITH.get(type(node.op))
        if op is None:
            raise self.fail(node, said("formula.bad_operator", op=_op_text(node.op)))
        left = self.expect(node.left, "num", said("formula.part.left", op=op))
        if op == "**" and any(
            isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow) for n in ast.walk(node.left)
        ):
            raise self.fail(node, said("formula.power_of_power"), "AMF007")
        if op == "**":
            exp = node.right
            if not (
                isinstance(exp, ast.Constant)
                and isinstance(exp.value, int)
                and not isinstance(exp.value, bool)
                and 0 <= exp.value <= MAX_EXPONENT
            ):
                raise self.fail(
                    node.right, said("formula.exponent_range", limit=MAX_EXPONENT), "AMF007"
                )
        right = self.expect(node.right, "num", said("formula.part.right", op=op))
        return Arith(op, left, right), "num"

    def _UnaryOp(self, node: ast.UnaryOp) -> tuple[Node, Type]:
        if isinstance(node.op, ast.Not):
            operand = said("formula.part.operand", op="not")
            return Not(self.expect(node.operand, "bool", operand)), "bool"
        if isinstance(node.op, ast.USub):
            operand = said("formula.part.operand", op="-")
            return Neg(self.expect(node.operand, "num", operand)), "num"
        if isinstance(node.op, ast.UAdd):
            return self.expect(node.operand, "num", said("formula.part.operand", op="+")), "num"
        raise self.fail(node, said("formula.bad_unary", op="~"))

    def _BoolOp(self, node: ast.BoolOp) -> tuple[Node, Type]:
        op = "and" if isinstance(node.op, ast.And) else "or"
        side = said("formula.part.each_side", op=op)
        parts = tuple(self.expect(v, "bool", side) for v in node.values)
        return Logic(op, parts), "bool"

    def _Compare(self, node: ast.Compare) -> tuple[Node, Type]:
        asts = [node.left, *node.comparators]
        built = [self.build(a) for a in asts]  # once each: a chain must not rebuild its middles
        ops = []
        for i, op_node in enumerate(node.ops):
            op = _COMPARE.get(type(op_node))
            if op is None:
                raise self.fail(node, said("formula.bad_comparison", op=_op_text(op_node)))
            (left, lk), (right, rk) = built[i], built[i + 1]
            if lk != rk:
                message = said("formula.cannot_compare", left=_named(lk), right=_named(rk))
                raise self.fail(node, message, "AMF003")
            if lk != "num" and op not in ("==", "!="):
                raise self.fail(node, said("formula.equality_only", kind=_named(lk)), "AMF003")
            self._check_domain(left, right, asts[i + 1])
            self._check_domain(right, left, asts[i])
            ops.append(op)
        return Compare(tuple(ops), tuple(b[0] for b in built)), "bool"

    def _check_domain(self, var_side: Node, const_side: Node, where: ast.expr) -> None:
        """`level == 'seniro'` can never be true: say so instead of paying nobody."""
        for var in _leaves(var_side):
            if not isinstance(var, Var) or not self.scope.domains.get(var.name):
                continue
            domain = self.scope.domains[var.name]
            for const in _leaves(const_side):
                value = const.value if isinstance(const, Const) else None
                if isinstance(value, str) and value not in domain:
                    message = said(
                        "formula.never_a_value", value=value, name=var.name, values=sorted(domain)
                    )
                    raise self.fail(where, message, "AMF006")

    def _IfExp(self, node: ast.IfExp) -> tuple[Node, Type]:
        test = self.expect(node.test, "bool", said("formula.part.if_condition"))
        then, tk = self.build(node.body)
        orelse, ok = self.build(node.orelse)
        if tk != ok:
            message = said("formula.branch_types", then=_coded(tk), orelse=_coded(ok))
            raise self.fail(node, message, "AMF003")
        return If(test, then, orelse), tk

    def _Subscript(self, node: ast.Subscript) -> tuple[Node, Type]:
        if not isinstance(node.value, ast.Name) or node.value.id not in self.scope.tables:
            raise self.fail(node, said("formula.index_non_table"), "AMF003")
        table = node.value.id
        key_ast = node.slice
        key = self.expect(key_ast, "str", said("formula.part.table_key", table=table))
        keys = self.scope.tables[table]
        for leaf in _leaves(key):  # every key the expression can give, through if/else
            if isinstance(leaf, Var):
                domain = self.scope.domains.get(leaf.name)
                missing = sorted(domain - keys) if domain else []
                if missing:
                    message = said(
                        "formula.table_missing_rows", table=table, missing=missing, name=leaf.name
                    )
                    raise self.fail(node, message, "AMF006")
            elif isinstance(leaf, Const) and leaf.value not in keys:
                message = said("formula.table_no_row", table=table, row=str(leaf.value))
                raise self.fail(node, message, "AMF006")
        return Lookup(table, key), "num"

    def _Call(self, node: ast.Call) -> tuple[Node, Type]:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node, said("formula.call_non_function", functions=list(FUNCTIONS)))
        fn = node.func.id
        if fn in AGGREGATES:
            return self._aggregate(node, fn)
        if fn not in FUNCTIONS:
            message = said("formula.unknown_function", fn=fn, functions=[*FUNCTIONS, *AGGREGATES])
            raise self.fail(node, message, "AMF004")
        low, high = FUNCTIONS[fn]
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail(node, _refused("unpacking"))
        count = len(node.args)
        if not low <= count <= high:
            message = (
                said("formula.arity", fn=fn, low=low, count=count)
                if low == high
                else said("formula.arity_range", fn=fn, low=low, high=high, count=count)
            )
            raise self.fail(node, message, "AMF004")
        mode = None
        for kw in node.keywords:
            if fn != "brackets" or kw.arg != "mode":
                raise self.fail(node, said("formula.no_keyword", fn=fn, keyword=kw.arg), "AMF004")
            if not (isinstance(kw.value, ast.Constant) and kw.value.value in MODES):
                message = said("formula.mode_values", modes=list(MODES))
                raise self.fail(kw.value, message, "AMF004")
            mode = str(kw.value.value)
        if fn == "brackets":
            return self._brackets(node, mode)
        if fn in SINCE:
            return self._since(node, fn)
        each = said("formula.part.argument", fn=fn)
        args = tuple(self.expect(a, "num", each) for a in node.args)
        if fn == "round" and len(node.args) == 2:
            digits = node.args[1]
            if not (
                isinstance(digits, ast.Constant)
                and isinstance(digits.value, int)
                and 0 <= digits.value <= 6
            ):
                raise self.fail(digits, said("formula.round_digits"), "AMF004")
        return Call(fn, args), "num"

    def _brackets(self, node: ast.Call, mode: str | None) -> tuple[Node, Type]:
        if mode is None:
            raise self.fail(node, said("formula.brackets_mode"), "AMF004")
        value = self.expect(node.args[0], "num", said("formula.part.brackets_value"))
        table = node.args[1]
        if not isinstance(table, ast.Name) or table.id not in self.scope.brackets:
            known = sorted(self.scope.brackets)
            message = (
                said("formula.brackets_table", known=known)
                if known
                else said("formula.brackets_table_none")
            )
            raise self.fail(table, message, "AMF004")
        return Call("brackets", (value,), table.id, mode), "num"

    def _aggregate(self, node: ast.Call, fn: str) -> tuple[Node, Type]:
        """unit_*/company_*: a count takes nothing, a sum or mean one number, never an
        aggregate (a unit's total of unit totals has no meaning a reader could check)."""
        if self.within is not None:
            message = said("formula.aggregate_nested", fn=fn, outer=self.within)
            raise self.fail(node, message, "AMF004")
        over, stat = AGGREGATES[fn]
        if node.keywords:
            keyword = node.keywords[0].arg
            raise self.fail(node, said("formula.no_keyword", fn=fn, keyword=keyword), "AMF004")
        want = 0 if stat == "count" else 1
        if len(node.args) != want:
            message = said("formula.arity", fn=fn, low=want, count=len(node.args))
            raise self.fail(node, message, "AMF004")
        if over == "unit":
            self.names.add("org_unit")  # the groups are read from the roster's 部门
        if stat == "count":
            return Aggregate(fn, over, stat, None), "num"
        self.within = fn
        try:
            arg = self.expect(node.args[0], "num", said("formula.part.argument", fn=fn))
        finally:
            self.within = None
        return Aggregate(fn, over, stat, arg, ast.unparse(node.args[0])), "num"

    def _since(self, node: ast.Call, fn: str) -> tuple[Node, Type]:
        """years_since(work_start): a date column, named directly, counted to the period's end."""
        arg = node.args[0]
        if not (isinstance(arg, ast.Name) and self.scope.variables.get(arg.id) == "date"):
            dates = sorted(k for k, v in self.scope.variables.items() if v == "date")
            message = (
                said("formula.since_needs_date", fn=fn, dates=dates)
                if dates
                else said("formula.since_no_dates", fn=fn)
            )
            raise self.fail(arg, message, "AMF003")
        self.names.add(arg.id)
        return Call(fn, (Var(arg.id),)), "num"


def _leaves(node: Node) -> list[Node]:
    """The values a text expression can take: through if/else down to names and constants."""
    if isinstance(node, If):
        return [*_leaves(node.then), *_leaves(node.orelse)]
    return [node]


def _named(kind: Type) -> Said:
    """A type as a sentence names it: a number, text, a condition."""
    return said(f"formula.type.{kind}")


def _coded(kind: Type) -> Said:
    """A type by its short code (num, str, bool), worded in Chinese."""
    return said(f"formula.kind.{kind}")


def _op_text(op: ast.AST) -> str:
    return {
        ast.FloorDiv: "//",
        ast.Mod: "%",
        ast.MatMult: "@",
        ast.LShift: "<<",
        ast.RShift: ">>",
        ast.BitOr: "|",
        ast.BitAnd: "&",
        ast.BitXor: "^",
        ast.In: "in",
        ast.NotIn: "not in",
        ast.Is: "is",
        ast.IsNot: "is not",
    }.get(type(op), type(op).__name__)


def _hint(name: str, scope: Scope) -> Said:
    words = [*scope.variables, *scope.tables, *scope.brackets, *FUNCTIONS, *AGGREGATES]
    close = difflib.get_close_matches(name, words, n=1, cutoff=0.6)
    if close:
        return said("formula.hint.did_you_mean", close=close[0])
    return said("formula.hint.see_readme")
