"""The pay formula language: a closed, typed subset of Python expressions.

A formula is parsed with `ast` and rebuilt into a small typed tree from an allow-list: numbers,
names from the documented scope, + - * /, a bounded `**`, comparisons, and/or/not,
`a if c else b`, table look-ups `table[key]` and the functions in FUNCTIONS. Anything else —
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

MAX_LENGTH = 1000
MAX_NODES = 200
MAX_EXPONENT = 10
MAX_CONSTANT = Decimal(10) ** 12
MAX_STRING = 64

Type = Literal["num", "str", "bool"]
MODES = ("marginal", "flat", "rate")
# name → (min args, max args); brackets also takes mode=
FUNCTIONS: dict[str, tuple[int, int]] = {
    "min": (2, 8),
    "max": (2, 8),
    "abs": (1, 1),
    "round": (1, 2),
    "clamp": (3, 3),
    "brackets": (2, 2),
}


class FormulaError(Exception):
    """A refused formula, with the 0-based column of the offending part within its text."""

    def __init__(self, message: str, col: int = 0, rule: str = "AMF001") -> None:
        super().__init__(message)
        self.message, self.col, self.rule = message, col, rule


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


Node = Const | Var | Arith | Neg | Not | Logic | Compare | If | Call | Lookup


@dataclass(frozen=True)
class Formula:
    source: str
    tree: Node
    type: Type
    names: frozenset[str]  # variables it reads


# --- compile ---------------------------------------------------------------------------------

_ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_REFUSED = {
    ast.Attribute: "attribute access (a.b)",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "generator expressions",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Dict: "dicts",
    ast.Set: "sets",
    ast.JoinedStr: "f-strings",
    ast.NamedExpr: "assignment (:=)",
    ast.Starred: "unpacking (*)",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slices",
}


def compile_formula(source: str, scope: Scope) -> Formula:
    """Parse, allow-list and type-check one formula; FormulaError says what and where."""
    if len(source) > MAX_LENGTH:
        raise FormulaError(
            f"formula is {len(source)} characters; keep it under {MAX_LENGTH}", 0, "AMF007"
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
        raise FormulaError(f"syntax error: {exc.msg}", col, "AMF000") from None
    except (RecursionError, MemoryError):
        raise FormulaError("formula is nested too deeply; simplify it", 0, "AMF007") from None
    except ValueError as exc:  # e.g. a NUL character
        raise FormulaError(f"formula cannot be read: {exc}", 0, "AMF000") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise FormulaError(f"formula has {count} parts; keep it under {MAX_NODES}", 0, "AMF007")
    builder = _Builder(scope, lead, text)
    for part in ast.walk(tree.body):  # the dangerous construct, wherever it hides, is named first
        for refused, what in _REFUSED.items():
            if isinstance(part, refused):
                raise builder.fail(part, f"{what} not allowed in a formula")
    node, kind = builder.build(tree.body)
    return Formula(source, node, kind, frozenset(builder.names))


def _ascii_names(text: str, lead: int) -> FormulaError | None:
    """Python reads ｂａｓｅ, ﬁ or 𝐛𝐚𝐬𝐞 as base (NFKC): the run sheet would show one text
    while another name is paid. Names are plain ASCII; text in quotes may be anything."""
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.NAME and not tok.string.isascii():
                same = unicodedata.normalize("NFKC", tok.string)
                seen = f", which Python would read as '{same}'" if same != tok.string else ""
                return FormulaError(
                    f"'{tok.string}' is not a plain ASCII name{seen}; type names in ASCII "
                    "letters, digits and _",
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

    def fail(self, node: ast.AST, message: str, rule: str = "AMF001") -> FormulaError:
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
            raise self.fail(node, f"'{ast.unparse(node)}' is not allowed in a formula")
        result: tuple[Node, Type] = method(node)
        return result

    def expect(self, node: ast.expr, want: Type, what: str) -> Node:
        built, kind = self.build(node)
        if kind != want:
            raise self.fail(
                node, f"{what} must be {_TYPE_NAMES[want]}, not {_TYPE_NAMES[kind]}", "AMF003"
            )
        return built

    def _Constant(self, node: ast.Constant) -> tuple[Node, Type]:
        value = node.value
        if isinstance(value, bool):
            return Const(value), "bool"
        if isinstance(value, int | float):
            number = Decimal(str(value))
            if not number.is_finite() or abs(number) > MAX_CONSTANT:
                raise self.fail(node, f"number {value} is out of range (at most 10^12)", "AMF007")
            return Const(number), "num"
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                raise self.fail(node, f"text is longer than {MAX_STRING} characters", "AMF007")
            return Const(value), "str"
        raise self.fail(node, f"{value!r} is not allowed in a formula")

    def _Name(self, node: ast.Name) -> tuple[Node, Type]:
        name = node.id
        if name in self.scope.later:
            raise self.fail(
                node,
                f"'{name}' is a component defined later or this one itself; components run "
                "in order and may use only earlier ones: move it above or remove the cycle",
                "AMF008",
            )
        kind = self.scope.variables.get(name)
        if kind is None:
            if name in self.scope.tables:
                raise self.fail(
                    node, f"'{name}' is a table: look a value up with {name}[key]", "AMF003"
                )
            if name in self.scope.brackets:
                raise self.fail(
                    node, f"'{name}' is a bracket table: use brackets(value, {name})", "AMF003"
                )
            raise self.fail(node, f"unknown name '{name}'{_hint(name, self.scope)}", "AMF002")
        self.names.add(name)
        return Var(name), kind

    def _BinOp(self, node: ast.BinOp) -> tuple[Node, Type]:
        op = _ARITH.get(type(node.op))
        if op is None:
            raise self.fail(node, f"operator '{_op_text(node.op)}' not allowed; use + - * / **")
        left = self.expect(node.left, "num", f"the left side of {op}")
        if op == "**" and any(
            isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow) for n in ast.walk(node.left)
        ):
            raise self.fail(
                node, "a power of a power grows without bound; write one power", "AMF007"
            )
        if op == "**":
            exp = node.right
            if not (
                isinstance(exp, ast.Constant)
                and isinstance(exp.value, int)
                and not isinstance(exp.value, bool)
                and 0 <= exp.value <= MAX_EXPONENT
            ):
                raise self.fail(
                    node.right,
                    f"an exponent must be a whole number from 0 to {MAX_EXPONENT}",
                    "AMF007",
                )
        right = self.expect(node.right, "num", f"the right side of {op}")
        return Arith(op, left, right), "num"

    def _UnaryOp(self, node: ast.UnaryOp) -> tuple[Node, Type]:
        if isinstance(node.op, ast.Not):
            return Not(self.expect(node.operand, "bool", "the operand of not")), "bool"
        if isinstance(node.op, ast.USub):
            return Neg(self.expect(node.operand, "num", "the operand of -")), "num"
        if isinstance(node.op, ast.UAdd):
            return self.expect(node.operand, "num", "the operand of +"), "num"
        raise self.fail(node, "operator '~' not allowed")

    def _BoolOp(self, node: ast.BoolOp) -> tuple[Node, Type]:
        op = "and" if isinstance(node.op, ast.And) else "or"
        parts = tuple(self.expect(v, "bool", f"each side of {op}") for v in node.values)
        return Logic(op, parts), "bool"

    def _Compare(self, node: ast.Compare) -> tuple[Node, Type]:
        asts = [node.left, *node.comparators]
        built = [self.build(a) for a in asts]  # once each: a chain must not rebuild its middles
        ops = []
        for i, op_node in enumerate(node.ops):
            op = _COMPARE.get(type(op_node))
            if op is None:
                raise self.fail(
                    node, f"'{_op_text(op_node)}' not allowed; compare with < <= > >= == !="
                )
            (left, lk), (right, rk) = built[i], built[i + 1]
            if lk != rk:
                raise self.fail(
                    node, f"cannot compare {_TYPE_NAMES[lk]} with {_TYPE_NAMES[rk]}", "AMF003"
                )
            if lk != "num" and op not in ("==", "!="):
                raise self.fail(
                    node, f"{_TYPE_NAMES[lk]} can only be compared with == or !=", "AMF003"
                )
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
                    shown = ", ".join(sorted(domain))
                    raise self.fail(
                        where, f"'{value}' is never a value of {var.name} ({shown})", "AMF006"
                    )

    def _IfExp(self, node: ast.IfExp) -> tuple[Node, Type]:
        test = self.expect(node.test, "bool", "the condition of if")
        then, tk = self.build(node.body)
        orelse, ok = self.build(node.orelse)
        if tk != ok:
            raise self.fail(
                node, f"both branches of if/else must give the same type ({tk} vs {ok})", "AMF003"
            )
        return If(test, then, orelse), tk

    def _Subscript(self, node: ast.Subscript) -> tuple[Node, Type]:
        if not isinstance(node.value, ast.Name) or node.value.id not in self.scope.tables:
            raise self.fail(
                node,
                "only tables can be indexed: table[key] with a table from pay.tables",
                "AMF003",
            )
        table = node.value.id
        key_ast = node.slice
        key = self.expect(key_ast, "str", f"the key of {table}[…]")
        keys = self.scope.tables[table]
        for leaf in _leaves(key):  # every key the expression can give, through if/else
            if isinstance(leaf, Var):
                domain = self.scope.domains.get(leaf.name)
                missing = sorted(domain - keys) if domain else []
                if missing:
                    raise self.fail(
                        node,
                        f"table {table} has no row for {', '.join(missing)} "
                        f"(a value of {leaf.name}); add it",
                        "AMF006",
                    )
            elif isinstance(leaf, Const) and leaf.value not in keys:
                raise self.fail(node, f"table {table} has no row '{leaf.value}'", "AMF006")
        return Lookup(table, key), "num"

    def _Call(self, node: ast.Call) -> tuple[Node, Type]:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node, "only the functions " + ", ".join(FUNCTIONS) + " can be called")
        fn = node.func.id
        if fn not in FUNCTIONS:
            raise self.fail(
                node, f"unknown function '{fn}'; allowed: {', '.join(FUNCTIONS)}", "AMF004"
            )
        low, high = FUNCTIONS[fn]
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail(node, "unpacking (*) not allowed in a formula")
        count = len(node.args)
        if not low <= count <= high:
            want = str(low) if low == high else f"{low} to {high}"
            raise self.fail(node, f"{fn}() takes {want} arguments, got {count}", "AMF004")
        mode = None
        for kw in node.keywords:
            if fn != "brackets" or kw.arg != "mode":
                raise self.fail(node, f"{fn}() takes no keyword '{kw.arg}'", "AMF004")
            if not (isinstance(kw.value, ast.Constant) and kw.value.value in MODES):
                raise self.fail(
                    kw.value, f"mode must be one of {', '.join(MODES)} (quoted)", "AMF004"
                )
            mode = str(kw.value.value)
        if fn == "brackets":
            return self._brackets(node, mode)
        args = tuple(self.expect(a, "num", f"each argument of {fn}()") for a in node.args)
        if fn == "round" and len(node.args) == 2:
            digits = node.args[1]
            if not (
                isinstance(digits, ast.Constant)
                and isinstance(digits.value, int)
                and 0 <= digits.value <= 6
            ):
                raise self.fail(
                    digits, "round()'s digits must be a whole number from 0 to 6", "AMF004"
                )
        return Call(fn, args), "num"

    def _brackets(self, node: ast.Call, mode: str | None) -> tuple[Node, Type]:
        if mode is None:
            raise self.fail(node, "brackets() needs mode='marginal', 'flat' or 'rate'", "AMF004")
        value = self.expect(node.args[0], "num", "the value of brackets()")
        table = node.args[1]
        if not isinstance(table, ast.Name) or table.id not in self.scope.brackets:
            known = ", ".join(sorted(self.scope.brackets)) or "none defined"
            raise self.fail(
                table, f"brackets() needs a bracket table from pay.brackets ({known})", "AMF004"
            )
        return Call("brackets", (value,), table.id, mode), "num"


def _leaves(node: Node) -> list[Node]:
    """The values a text expression can take: through if/else down to names and constants."""
    if isinstance(node, If):
        return [*_leaves(node.then), *_leaves(node.orelse)]
    return [node]


_TYPE_NAMES: dict[Type, str] = {"num": "a number", "str": "text", "bool": "a condition"}


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


def _hint(name: str, scope: Scope) -> str:
    words = [*scope.variables, *scope.tables, *scope.brackets, *FUNCTIONS]
    close = difflib.get_close_matches(name, words, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else "; see the README's list of formula names"
