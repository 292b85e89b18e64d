"""Findings of the formula area, worded: key → (zh, en).

Read by policy owners: formula text, names (base_post_wage), operators and function names
stay as written in both languages.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- compiling a formula (amctl/formula/compile.py) -----------------------------------
    "formula.too_long": (
        "公式有 {length} 个字符；请控制在 {limit} 个以内",
        "formula is {length} characters; keep it under {limit}",
    ),
    "formula.syntax": ("语法错误：{detail}", "syntax error: {detail}"),
    "formula.too_deep": ("公式嵌套太深；请简化", "formula is nested too deeply; simplify it"),
    "formula.unreadable": ("无法读取公式：{detail}", "formula cannot be read: {detail}"),
    "formula.too_many_parts": (
        "公式有 {count} 个组成部分；请控制在 {limit} 个以内",
        "formula has {count} parts; keep it under {limit}",
    ),
    "formula.refused": ("公式中不允许使用{what}", "{what} not allowed in a formula"),
    "formula.construct.attribute": ("属性访问（a.b）", "attribute access (a.b)"),
    "formula.construct.lambda": ("lambda 表达式", "lambda"),
    "formula.construct.comprehension": ("推导式", "comprehensions"),
    "formula.construct.generator": ("生成器表达式", "generator expressions"),
    "formula.construct.list": ("列表", "lists"),
    "formula.construct.tuple": ("元组", "tuples"),
    "formula.construct.dict": ("字典", "dicts"),
    "formula.construct.set": ("集合", "sets"),
    "formula.construct.fstring": ("f-string 格式字符串", "f-strings"),
    "formula.construct.assignment": ("赋值（:=）", "assignment (:=)"),
    "formula.construct.unpacking": ("解包（*）", "unpacking (*)"),
    "formula.construct.await": ("await 表达式", "await"),
    "formula.construct.yield": ("yield 表达式", "yield"),
    "formula.construct.slice": ("切片", "slices"),
    "formula.not_ascii": (
        "'{name}' 不是纯 ASCII 名称；名称只能用 ASCII 字母、数字和 _",
        "'{name}' is not a plain ASCII name; type names in ASCII letters, digits and _",
    ),
    "formula.not_ascii_read_as": (
        "'{name}' 不是纯 ASCII 名称，Python 会把它读作 '{same}'；名称只能用 ASCII 字母、数字和 _",
        "'{name}' is not a plain ASCII name, which Python would read as '{same}'; "
        "type names in ASCII letters, digits and _",
    ),
    "formula.not_allowed": ("公式中不允许使用 '{text}'", "'{text}' is not allowed in a formula"),
    "formula.value_not_allowed": (
        "公式中不允许使用 {value}",
        "{value} is not allowed in a formula",
    ),
    "formula.wrong_type": ("{what}必须是{want}，不能是{got}", "{what} must be {want}, not {got}"),
    "formula.part.left": ("{op} 的左边", "the left side of {op}"),
    "formula.part.right": ("{op} 的右边", "the right side of {op}"),
    "formula.part.operand": ("{op} 的操作数", "the operand of {op}"),
    "formula.part.each_side": ("{op} 的每一边", "each side of {op}"),
    "formula.part.if_condition": ("if 的条件", "the condition of if"),
    "formula.part.table_key": ("{table}[…] 的键", "the key of {table}[…]"),
    "formula.part.argument": ("{fn}() 的每个参数", "each argument of {fn}()"),
    "formula.part.brackets_value": ("brackets() 的取值", "the value of brackets()"),
    # a type as a sentence names it, and as its short code
    "formula.type.num": ("数字", "a number"),
    "formula.type.str": ("文本", "text"),
    "formula.type.bool": ("真假条件", "a condition"),
    "formula.kind.num": ("数字", "num"),
    "formula.kind.str": ("文本", "str"),
    "formula.kind.bool": ("真假条件", "bool"),
    "formula.type.date": ("日期", "a date"),
    "formula.kind.date": ("日期", "date"),
    "formula.date_only_since": (
        "'{name}' 是日期：只能写成 years_since({name}) 或 months_since({name})",
        "'{name}' is a date: use it as years_since({name}) or months_since({name})",
    ),
    "formula.since_needs_date": (
        "{fn}() 的参数必须是一个日期列的名称（columns 下 type: date 的列：{dates!l}）",
        "{fn}() takes the name of a date column (declared type: date under columns: {dates!l})",
    ),
    "formula.since_no_dates": (
        "{fn}() 的参数必须是一个日期列的名称；政策尚未声明日期列：请在 columns 下添加，"
        "如 work_start: {{aliases: [参加工作日期], type: date}}",
        "{fn}() takes the name of a date column, and the policy declares none: add one under "
        "columns, e.g. work_start: {{aliases: [参加工作日期], type: date}}",
    ),
    "formula.out_of_range": (
        "数字 {value} 超出范围（最大 10^12）",
        "number {value} is out of range (at most 10^12)",
    ),
    "formula.text_too_long": ("文本超过 {limit} 个字符", "text is longer than {limit} characters"),
    "formula.defined_later": (
        "'{name}' 是后面才定义的薪酬项或本项自身；薪酬项按顺序计算，只能用前面的项："
        "把它移到前面，或去掉循环引用",
        "'{name}' is a component defined later or this one itself; components run in order "
        "and may use only earlier ones: move it above or remove the cycle",
    ),
    "formula.is_table": (
        "'{name}' 是一张表：用 {name}[key] 查值",
        "'{name}' is a table: look a value up with {name}[key]",
    ),
    "formula.is_bracket_table": (
        "'{name}' 是分段表：请用 brackets(value, {name})",
        "'{name}' is a bracket table: use brackets(value, {name})",
    ),
    "formula.unknown_name": ("未知名称 '{name}'{hint}", "unknown name '{name}'{hint}"),
    "formula.hint.did_you_mean": ("；是不是 '{close}'？", "; did you mean '{close}'?"),
    "formula.hint.see_readme": (
        "；可用的名称见 README 中的公式名称列表",
        "; see the README's list of formula names",
    ),
    "formula.bad_operator": (
        "不允许使用运算符 '{op}'；请用 + - * / **",
        "operator '{op}' not allowed; use + - * / **",
    ),
    "formula.bad_unary": ("不允许使用运算符 '{op}'", "operator '{op}' not allowed"),
    "formula.power_of_power": (
        "乘方的乘方会无限增大；只写一次乘方",
        "a power of a power grows without bound; write one power",
    ),
    "formula.exponent_range": (
        "指数必须是 0 到 {limit} 之间的整数",
        "an exponent must be a whole number from 0 to {limit}",
    ),
    "formula.bad_comparison": (
        "不允许使用 '{op}'；请用 < <= > >= == != 比较",
        "'{op}' not allowed; compare with < <= > >= == !=",
    ),
    "formula.cannot_compare": ("{left}不能与{right}比较", "cannot compare {left} with {right}"),
    "formula.equality_only": (
        "{kind}只能用 == 或 != 比较",
        "{kind} can only be compared with == or !=",
    ),
    "formula.never_a_value": (
        "'{value}' 不是 {name} 可能的取值（{values!l}）",
        "'{value}' is never a value of {name} ({values!l})",
    ),
    "formula.branch_types": (
        "if/else 的两个分支必须给出同一类型（{then} 与 {orelse}）",
        "both branches of if/else must give the same type ({then} vs {orelse})",
    ),
    "formula.index_non_table": (
        "只有表可以按键取值：table[key]，表须来自 pay.tables",
        "only tables can be indexed: table[key] with a table from pay.tables",
    ),
    "formula.table_missing_rows": (
        "表 {table} 缺少 {missing!l} 这几行（{name} 的取值）；请补上",
        "table {table} has no row for {missing!l} (a value of {name}); add it",
    ),
    "formula.table_no_row": ("表 {table} 没有 '{row}' 这一行", "table {table} has no row '{row}'"),
    "formula.call_non_function": (
        "只能调用这些函数：{functions!l}",
        "only the functions {functions!l} can be called",
    ),
    "formula.unknown_function": (
        "未知函数 '{fn}'；可用的函数：{functions!l}",
        "unknown function '{fn}'; allowed: {functions!l}",
    ),
    "formula.arity": (
        "{fn}() 需要 {low} 个参数，实际给了 {count} 个",
        "{fn}() takes {low} arguments, got {count}",
    ),
    "formula.arity_range": (
        "{fn}() 需要 {low} 到 {high} 个参数，实际给了 {count} 个",
        "{fn}() takes {low} to {high} arguments, got {count}",
    ),
    "formula.no_keyword": (
        "{fn}() 不接受关键字参数 '{keyword}'",
        "{fn}() takes no keyword '{keyword}'",
    ),
    "formula.mode_values": (
        "mode 必须是 {modes!l} 之一（加引号）",
        "mode must be one of {modes!l} (quoted)",
    ),
    "formula.round_digits": (
        "round() 的小数位数必须是 0 到 6 之间的整数",
        "round()'s digits must be a whole number from 0 to 6",
    ),
    "formula.brackets_mode": (
        "brackets() 需要 mode='marginal'、'flat' 或 'rate'",
        "brackets() needs mode='marginal', 'flat' or 'rate'",
    ),
    "formula.brackets_table": (
        "brackets() 需要 pay.brackets 中的分段表（{known!l}）",
        "brackets() needs a bracket table from pay.brackets ({known!l})",
    ),
    "formula.brackets_table_none": (
        "brackets() 需要 pay.brackets 中的分段表（目前一张也没有定义）",
        "brackets() needs a bracket table from pay.brackets (none defined)",
    ),
    "formula.aggregate_nested": (
        "{fn}() 不能写在 {outer}() 里面：汇总函数汇总的是每位客户经理自己的数字，"
        "不能再汇总一次汇总；请把两个汇总分开写，例如 unit_sum(sales) / unit_sum(sales_target)",
        "{fn}() cannot be inside {outer}(): an aggregate totals each manager's own numbers, "
        "not other totals; write the totals side by side, e.g. "
        "unit_sum(sales) / unit_sum(sales_target)",
    ),
    # --- evaluating a formula (amctl/formula/evaluate.py) ---------------------------------
    "formula.table_no_row_for": (
        "表 {table} 没有 {keys!l} 这几行",
        "table {table} has no row for {keys!l}",
    ),
    # --- a policy's pay components (amctl/policy/payformulas.py) --------------------------
    "formula.builtin_name": (
        "'{name}' 已是内置的公式名称；请换一个名称",
        "'{name}' is already a built-in formula name; choose another name",
    ),
    "formula.parameter_and_component": (
        "'{name}' 既是参数又是薪酬项；请把其中一个改名",
        "'{name}' is both a parameter and a component; rename one",
    ),
    "formula.in_component": ("薪酬项 {name}：{problem}", "component {name}: {problem}"),
    "formula.in_condition": (
        "等级 {level} 的条件“{label}”：{problem}",
        "level {level}, condition '{label}': {problem}",
    ),
    "formula.condition_not_condition": (
        "等级 {level} 的条件“{label}”必须是真假条件（如 years_since(work_start) >= 8），"
        "不能是{kind}",
        "level {level}, condition '{label}' must be a condition "
        "(e.g. years_since(work_start) >= 8), not {kind}",
    ),
    "formula.component_not_amount": (
        "薪酬项 {name} 必须给出金额，不能是{kind}",
        "component {name} must give an amount, not {kind}",
    ),
    "formula.brackets_empty": ("分段表 {name} 为空", "bracket table {name} is empty"),
    "formula.bracket_ends_early": (
        "{name}：第 {number} 段的终点不大于起点",
        "{name}: bracket {number} ends at or below its start",
    ),
    "formula.bracket_open_not_last": (
        "{name}：只有最后一段可以不设上限（不写 'to'）",
        "{name}: only the last bracket may be open-ended (no 'to')",
    ),
    "formula.bracket_gap": (
        "{name}：{prev} 与 {start} 之间有空档（第 {number} 段）；每一段都必须从上一段的终点开始",
        "{name}: gap between {prev} and {start} (bracket {number}); "
        "each bracket must start where the previous one ends",
    ),
    "formula.bracket_overlap": (
        "{name}：{prev} 与 {start} 之间有重叠（第 {number} 段）；每一段都必须从上一段的终点开始",
        "{name}: overlap between {prev} and {start} (bracket {number}); "
        "each bracket must start where the previous one ends",
    ),
    # --- computing pay (amctl/engine/pay.py) ----------------------------------------------
    "formula.pay_failed": (
        "薪酬项 {component}：{problem}（涉及 {who}）",
        "component {component}: {problem} (for {who})",
    ),
    "formula.employees": ("{ids!l}", "{ids!l}"),
    "formula.employees_more": ("{ids!l} 及另外 {more} 人", "{ids!l} and {more} more"),
    "formula.needs_missing": (
        "需要 {names!l}，但数据中没有这些值",
        "needs {names!l}, which the data does not give",
    ),
    "formula.not_a_number": (
        "结果不是数字（除以零，或数字超出范围）",
        "the result is not a number (a division by zero, or a number out of range)",
    ),
    "formula.amount_too_large": (
        "金额超过 10^12；请检查公式",
        "an amount beyond 10^12; check the formula",
    ),
    "formula.filled_since": ("{branch}（因 {test} {value}）", "{branch} [since {test} is {value}]"),
    "formula.filled_unknown": ("—（条件未知：{test}）", "— (unknown: {test})"),
    "formula.filled_true": ("成立", "true"),
    "formula.filled_false": ("不成立", "false"),
}
