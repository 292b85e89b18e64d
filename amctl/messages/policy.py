"""Findings of the policy area, worded: key → (zh, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- reading the file (loader.py) ------------------------------------------------------
    "policy.kind.policy": ("政策", "policy"),
    "policy.kind.overrides": ("校准调整", "overrides"),
    "policy.kind.policy_test": ("政策测试用例", "policy test"),
    "policy.not_regular": (
        "{path}：不是普通文件（是设备、管道或套接字）；请给出{what} .yaml 文件",
        "{path}: not a regular file (a device, a pipe or a socket); give the {what} .yaml file",
    ),
    "policy.too_big": (
        "{path}：{size:,} 字节，超过此类文件的上限 {cap:,} 字节；如确需这么大，"
        "请用环境变量 AMCTL_MAX_POLICY_BYTES 提高上限",
        "{path}: {size:,} bytes, over the {cap:,} such a file may have; if it is genuine, "
        "raise the limit with the environment variable AMCTL_MAX_POLICY_BYTES",
    ),
    "policy.file_not_found": (
        "{path}：找不到{what}文件；请给出已有文件的路径",
        "{path}: {what} file not found; give the path of an existing one",
    ),
    "policy.is_folder": (
        "{path}：这是文件夹；请给出{what} .yaml 文件",
        "{path}: is a folder; give the {what} .yaml file",
    ),
    "policy.cannot_read": (
        "{path}：无法读取{what}文件：{reason}",
        "{path}: cannot read the {what} file: {reason}",
    ),
    "policy.not_utf8": (
        "文件不是 UTF-8 文本；请另存为 UTF-8（WPS/Excel：另存为 UTF-8）",
        "the file is not UTF-8 text; save it as UTF-8 (WPS/Excel: 另存为 UTF-8)",
    ),
    "policy.alias": (
        "别名（*{anchor}）重复引用了文件的另一部分；请把值直接写出：政策在每处写明各自的数值",
        "an alias (*{anchor}) repeats another part of the file; "
        "write the value out: a policy says every number where it applies",
    ),
    "policy.anchor": (
        "锚点（&{anchor}）；政策不使用锚点、别名或合并键（<<）：请在每处直接写明取值",
        "an anchor (&{anchor}); a policy has no anchors, "
        "aliases or merge keys (<<): write each value where it applies",
    ),
    "policy.too_deep": (
        "嵌套超过 {depth} 层；政策只有几层小节和列表",
        "nested more than {depth} levels deep; a policy is a few levels of sections and lists",
    ),
    "policy.too_many": (
        "超过 {count:,} 个值；这类文件用不到这么多",
        "more than {count:,} values; no such file needs as many",
    ),
    "policy.not_read": ("{path}：未读取：{what}", "{path}: not read: {what}"),
    "policy.yaml_error": ("YAML 错误：{detail}", "{detail}"),
    "policy.bad_scalar": (
        "'{value}' 无法读取（{error}）；日期请写成 2024-07-01 这样的真实日期，或写成数字",
        "'{value}' cannot be read ({error}); write a real date as 2024-07-01 or a number",
    ),
    "policy.a_value": ("某个值", "a value"),
    "policy.duplicate_key": (
        "键 '{name}' 重复；只保留一个（YAML 会悄悄采用最后一个）",
        "duplicate key '{name}'; keep one of them (YAML would silently use the last)",
    ),
    "policy.a_key": ("某个键", "a key"),
    "policy.tab": (
        "含有制表符；YAML 只能用空格缩进：请把制表符换成空格",
        "a tab character; YAML indents with spaces only: replace tabs with spaces",
    ),
    "policy.yaml_syntax": (
        "YAML 语法错误：{detail}；请检查此处的缩进或引号",
        "YAML syntax error: {detail}; fix the indentation or quoting here",
    ),
    "policy.ambiguous": (
        "'{word}' 有歧义：YAML 1.1 工具读作布尔值，YAML 1.2 读作文本；"
        "请写 true/false，或加引号：'{word}'",
        "'{word}' is ambiguous: YAML 1.1 tools read it as a boolean, YAML 1.2 as text; "
        "write true/false, or quote it: '{word}'",
    ),
    "policy.top_level": ("顶层", "(top level)"),
    "policy.unknown_key": (
        "未知的键 '{name}'（位于 {where}）{hint}",
        "unknown key '{name}' in {where}{hint}",
    ),
    "policy.hint.did_you_mean": ("；是否应为 '{name}'？", "; did you mean '{name}'?"),
    "policy.hint.allowed": ("；此处可用：{keys!l}", "; allowed here: {keys!l}"),
    "policy.missing_key": (
        "缺少必需的键 '{name}'（位于 {where}）；请补上",
        "missing required key '{name}' in {where}; add it",
    ),
    "policy.method_unknown": ("'{method}' 不是已知的 method", "'{method}' is not a known method"),
    "policy.method_missing": ("未给出 'method'", "no 'method' given"),
    "policy.method_choices": (
        "{where}：{what}；可选：{tags}{hint}",
        "{where}: {what}; use one of: {tags}{hint}",
    ),
    "policy.schema_value": ("{where} 的取值不符合要求：{msg}{shown}", "{where}: {msg}{shown}"),
    "policy.got": ("（实际为 {value}）", " (got {value})"),
    "policy.number_too_long": ("一个长得无法显示的数字", "a number too long to show"),
    "policy.value_error": ("{what}", "Value error, {what}"),
    "policy.more_problems": (
        "另有 {count:,} 个结构问题未列出；请先修正上面这些（这是政策文件吗？）",
        "{count:,} more problems of the schema are not listed; fix "
        "these first (is this file a policy?)",
    ),
    "policy.not_a_mapping": (
        "政策必须是以 'apiVersion:' 开头的 YAML 映射",
        "the policy must be a YAML mapping starting with 'apiVersion:'",
    ),
    "policy.api_version": (
        "apiVersion：{shown}；本版 amctl 读取 '{wanted}'：{fix}",
        "apiVersion is {shown}; this amctl reads '{wanted}': {fix}",
    ),
    "policy.api_missing": ("空缺", "missing"),
    "policy.api_migrate": (
        "请运行 `amctl policy migrate {name}` 升级",
        "run `amctl policy migrate {name}` to upgrade it",
    ),
    "policy.api_set": (
        "请设为 'apiVersion: {wanted}'（如是更新版本的文件，请升级 amctl）",
        "set 'apiVersion: {wanted}' (or upgrade amctl for a newer file)",
    ),
    "policy.kind_wrong": (
        "kind：{kind}；政策文件应写 'kind: {expected}'",
        "kind is {kind}; a policy file has 'kind: {expected}'",
    ),
    "policy.invalid": ("{path}：政策无效", "{path}: the policy is invalid"),
    # --- the model's own checks (models.py) -------------------------------------------------
    "policy.pattern_placeholders": (
        "模式 '{pattern}' 需要同时包含 {{rater}} 和 {{indicator}}",
        "pattern '{pattern}' needs both {{rater}} and {{indicator}}",
    ),
    "policy.rater_unknown": (
        "columns.rater '{rater}' 不是已定义的评价人（{raters!l}）",
        "columns.rater '{rater}' is not one of the raters ({raters!l})",
    ),
    "policy.as_is_fraction": (
        "as_is 需要 0–100 的得分：请声明 unit: percent，"
        "或对 0–1 的列用 method: linear, from: [0, 1] 计分",
        "as_is takes a 0–100 score: declare unit: percent, or score a 0–1 column with "
        "method: linear, from: [0, 1]",
    ),
    # --- sums, references, feasibility (checks.py) -----------------------------------------
    "policy.weights.ability": ("能力指标权重", "ability indicator weights"),
    "policy.weights.performance": ("绩效指标权重", "performance indicator weights"),
    "policy.weights.raters": ("评价人权重", "rater weights"),
    "policy.weights.composite": ("综合得分权重", "composite weights"),
    "policy.weights_sum": (
        "{what}合计为 {total}，应为 100（{parts}）",
        "{what}: sum is {total}, must be 100 ({parts})",
    ),
    "policy.scale_order": ("scale：min 必须小于 max", "scale: min must be below max"),
    "policy.tie_break_repeat": (
        "tie_break 中有重复的键；每个键只列一次",
        "tie_break lists a key twice; list each once",
    ),
    "policy.dates_reversed": (
        "effective_to {end} 早于 effective_from {start}",
        "effective_to {end} is before effective_from {start}",
    ),
    "policy.linear_same": (
        "{item}：linear 的 'from' 需要两个不同的值",
        "{item}: linear 'from' needs two different values",
    ),
    "policy.bands_not_rising": (
        "{item}：各档的 min 必须严格递增（{shown}）；请排序并删去重复值",
        "{item}: band minimums must rise strictly ({shown}); sort them and drop repeats",
    ),
    "policy.column_undefined": (
        "{item}：{what} 列 '{col}' 未定义；请在 columns: 下添加 '{col}: [表头文字]'",
        "{item}: {what} column '{col}' is not defined; "
        "add '{col}: [its header texts]' under columns:",
    ),
    "policy.column_no_header": (
        "columns.{item} 没有列出表头文字；请添加一个",
        "columns.{item} lists no header text; add one",
    ),
    "policy.column_choices_missing": (
        "type: choice 需要 choices：请列出单元格可以填写的值，如 choices: [聘用工, 在册]",
        "type: choice needs choices: list the values a cell may hold, e.g. choices: [聘用工, 在册]",
    ),
    "policy.column_choices_not_choice": (
        "choices 只用于 type: choice，这一列是 {type}；请删去 choices 或改为 type: choice",
        "choices is only for type: choice, and this column is {type}; "
        "remove choices or write type: choice",
    ),
    "policy.column_default_type": (
        "default '{value}' 不是 {type} 列的值；请写成该类型的值（yesno 写 是 或 否）",
        "default '{value}' is not a value of a {type} column; write one of its type "
        "(是 or 否 for yesno)",
    ),
    "policy.column_default_choice": (
        "default '{value}' 不是 choices 之一（{choices!l}）",
        "default '{value}' is not one of the choices ({choices!l})",
    ),
    "policy.column_default_date": (
        "日期列不能设 default：空白日期无法推定，请在表中补填",
        "a date column takes no default: a blank date cannot be guessed; fill it in the table",
    ),
    "policy.column_builtin_long": (
        "columns.{item} 是内置列，只能补充表头文字：请写成 {item}: [表头文字]",
        "columns.{item} is a built-in column, which takes extra header texts only: "
        "write {item}: [its header texts]",
    ),
    "policy.column_reserved": (
        "columns.{item}：'{item}' 是 amctl 计算得出的名称（公式中已有）；请换一个列名",
        "columns.{item}: '{item}' is a name amctl computes (formulas already have it); "
        "name the column otherwise",
    ),
    "policy.column_not_a_metric": (
        "{item}：{what} 列 '{col}' 是业绩表中的数字列才能计分，但它声明为 {type}（表 {table}）；"
        "请把 columns.{col} 声明为 type: number、table: performance",
        "{item}: {what} column '{col}' must be a number in the performance table to be "
        "scored, but it is declared {type} in the {table} table; declare columns.{col} "
        "type: number, table: performance",
    ),
    "policy.header_builtin": (
        "表头 '{alias}' 是内置列 {builtin} 的表头，不能再表示 {item}；请换一个表头",
        "header '{alias}' already means the built-in column {builtin}, so it cannot "
        "mean {item} too; use another header",
    ),
    "policy.choices_twice": (
        "choices 中 '{value}' 出现了两次",
        "'{value}' is listed twice in choices",
    ),
    "policy.header_twice": (
        "表头 '{alias}' 同时列在 {first} 和 {second} 下；一个表头只能对应一列",
        "header '{alias}' is listed for both {first} and {second}; "
        "one header can mean only one column",
    ),
    "policy.grid_cuts_order": (
        "{axis} 的九宫格切分点必须递增：现为 {low} 然后 {high}；请写成 [low_mid_cut, mid_high_cut]",
        "grid cuts for {axis} must rise: {low} then {high}; write [low_mid_cut, mid_high_cut]",
    ),
    "policy.no_levels": (
        "未定义任何等级；请至少定义一个",
        "no levels defined; define at least one",
    ),
    "policy.caps_short": (
        "名额上限合计 {total}%（{parts}），有 {gap}% 的客户经理永远无法安排；"
        "请提高上限，使合计至少为 100",
        "quota caps sum to {total}% ({parts}), so {gap}% of "
        "managers could never be placed; raise caps to a sum of at least 100",
    ),
    "policy.floors_over": (
        "名额下限合计 {total}%，超过 100%",
        "quota floors sum to {total}%, above 100%",
    ),
    "policy.floor_above_cap": (
        "{item}：名额下限 {floor}% 高于上限 {cap}%",
        "{item}: quota floor {floor}% is above its cap {cap}%",
    ),
    "policy.education_unknown": (
        "{item}：学历 '{education}' 不在 education.levels 中（{levels!l}）",
        "{item}: education '{education}' is not in education.levels ({levels!l})",
    ),
    "policy.trainee_reserved": (
        "'trainee' 是保留名称；请给该等级另起名字",
        "'trainee' is reserved; name the level otherwise",
    ),
    "policy.lowest_gated": (
        "最低等级 '{level}' 设有资格条件，不满足条件的客户经理将没有等级；请删去它的条件",
        "the lowest level '{level}' has eligibility gates, so a manager who fails "
        "them would have no level; remove its gates",
    ),
    "policy.overflow_unknown": (
        "overflow 等级 '{level}' 不是已定义的等级（{levels!l}）",
        "overflow level '{level}' is not a level ({levels!l})",
    ),
    "policy.education_alias_unknown": (
        "学历别名 '{alias}' 指向 '{target}'，但它不在 education.levels 中",
        "education alias '{alias}' points to '{target}', which is not in education.levels",
    ),
    "policy.band_names_repeat": (
        "档次名称有重复；每个只列一次",
        "band names repeat; list each once",
    ),
    "policy.shares_count": (
        "{shares} 个份额对应 {bands} 个档次；请每个档次给一个份额",
        "{shares} shares for {bands} bands; give one share per band",
    ),
    "policy.shares_sum": (
        "档次份额合计为 {total}，应为 100",
        "band shares: sum is {total}, must be 100",
    ),
    "policy.cuts_count": (
        "{cuts} 个切分点对应 {bands} 个档次；切分点应比档次少一个",
        "{cuts} cuts for {bands} bands; give one cut fewer than bands",
    ),
    "policy.cuts_not_falling": (
        "档次切分点必须严格递减（最好的档次在前）",
        "band cuts must fall strictly (best band first)",
    ),
    "policy.word_twice": (
        "'{word}' 同时指 {first} 和 {second}；每个名称和别名必须唯一",
        "'{word}' names both {first} and {second}; make each label and alias unique",
    ),
    # --- invariants (invariants.py) ---------------------------------------------------------
    "policy.floors_need": (
        "{n} 名客户经理时，名额下限按 {rounding} 取整共需 {need} 个名额；"
        "请降低某个下限，或将下限改为向下取整",
        "with {n} managers the quota floors, rounded {rounding}, need {need} seats; "
        "lower a floor or round floors down",
    ),
    "policy.pay_negative": (
        "{who}的薪酬合计为 {total}；薪酬不能为负",
        "total pay is {total} for {who}; pay cannot be negative",
    ),
    "policy.pay_falls": (
        "{upper} 月薪 {high}，而 {lower} 为 {low}，其他条件相同（{inputs}）；"
        "等级档次更高，薪酬不能更低",
        "{upper} is paid {high} a month but {lower} {low} "
        "with the same inputs ({inputs}); a higher tier must not be paid less",
    ),
    "policy.probe": (
        "得分 {score}、任职 {years} 年、{where}、考试 {exam} 分",
        "scores {score}, {years} years in post, {where}, exam {exam}",
    ),
    "policy.probe.rural": ("服务农村", "rural"),
    "policy.probe.not_rural": ("不服务农村", "not rural"),
    "policy.probe_tier": ("{tier}（{inputs}）", "{tier} with {inputs}"),
    # --- versions of one policy (versions.py) -----------------------------------------------
    "policy.versions_overlap": (
        "{name} {new} 自 {start} 起生效，而 {old}（{old_path}）有效期至：{until}；"
        "请在旧版本上设 effective_to: {day_before}",
        "{name} {new} starts {start} while {old} ({old_path}) runs until {until}; "
        "set effective_to: {day_before} on the older version",
    ),
    "policy.open_ended": ("长期", "open-ended"),
    "policy.versions_gap": (
        "{first} 至 {last} 期间没有生效的 {name} 政策；请补上这段空档",
        "no {name} policy is in effect from {first} to {last}; close the gap",
    ),
    # --- calibration overrides (overrides.py) -----------------------------------------------
    "policy.overrides_not_mapping": (
        "校准调整文件应是 YAML 映射：apiVersion: amctl/v1、kind: Overrides、quarter、moves",
        "an overrides file is a YAML mapping: apiVersion: amctl/v1, kind: Overrides, quarter, "
        "moves",
    ),
    "policy.override_nobody": (
        "每条调整须注明由谁决定：authorised_by，或 proposed_by / approved_by",
        "a move names who decided it: authorised_by, or proposed_by / approved_by",
    ),
    "policy.overrides_value": ("{where} 的取值不符合要求：{msg}", "{where}: {msg}"),
    "policy.overrides_invalid": (
        "{path}：不是有效的校准调整文件",
        "{path}: not a valid overrides file",
    ),
    # --- a policy from a path or a git revision (diff.py) -----------------------------------
    "policy.revision_dash": (
        "{spec}：版本不能以 '-' 开头；请写成 REV:PATH",
        "{spec}: a revision cannot start with '-'; write REV:PATH",
    ),
    "policy.revision_too_big": (
        "{spec}：{size:,} 字节，超过政策文件的上限 {cap:,} 字节"
        "（可用 AMCTL_MAX_POLICY_BYTES 提高上限）",
        "{spec}: {size:,} bytes, over the {cap:,} a policy may "
        "have (AMCTL_MAX_POLICY_BYTES raises the limit)",
    ),
    "policy.git_failed": ("{spec}：无法运行 git（{error}）", "{spec}: cannot run git ({error})"),
    "policy.git_cannot_show": (
        "{spec}：git 无法取出该文件（{reason}）",
        "{spec}: git cannot show it ({reason})",
    ),
    "policy.unknown_reason": ("原因不明", "unknown"),
    "policy.revision_missing": (
        "{spec}：没有这个文件；请给出路径，或 HEAD~1:{spec} 这样的 git 版本",
        "{spec}: no such file; give a path or a git revision like HEAD~1:{spec}",
    ),
    # --- what kind of setting a change is (diff.py) ----------------------------------------
    "policy.what.weight": ("权重", "weight"),
    "policy.what.composite_weight": ("综合得分权重", "composite weight"),
    "policy.what.quota_cap": ("名额上限", "quota cap"),
    "policy.what.quota_floor": ("名额下限", "quota floor"),
    "policy.what.quota_rule": ("名额规则", "quota rule"),
    "policy.what.eligibility_gate": ("资格条件", "eligibility gate"),
    "policy.what.grid_cut": ("九宫格分界", "grid cut"),
    "policy.what.grid_action": ("九宫格发展建议", "grid action"),
    "policy.what.scoring": ("计分方法", "scoring"),
    "policy.what.formula": ("公式", "formula"),
    "policy.what.pay_component": ("薪酬项目", "pay component"),
    "policy.what.table_row": ("薪酬表行", "table row"),
    "policy.what.bracket": ("分段", "bracket"),
    "policy.what.parameter": ("参数", "parameter"),
    "policy.what.rounding": ("取整规则", "rounding"),
    "policy.what.rural_rule": ("服务农村规则", "rural rule"),
    "policy.what.bands": ("档次", "bands"),
    "policy.what.metadata": ("元数据", "metadata"),
    "policy.what.column_aliases": ("列名别名", "column aliases"),
    "policy.what.setting": ("设置", "setting"),
    # --- upgrading an older file (migrate.py) -----------------------------------------------
    "policy.migrate.api_version": ("apiVersion {old} → {new}", "apiVersion {old} → {new}"),
    "policy.migrate.raters": (
        "ability.raters：比例 → {{label, weight}}，权重改为百分数（label 暂用键名：请复核）",
        "ability.raters: fractions → {{label, weight in %}} (labels are the keys: review)",
    ),
    "policy.migrate.composite": ("composite：比例 → 百分数", "composite: fractions → %"),
    "policy.migrate.grid_cuts": (
        "grid.cuts：一个列表 → ability 和 performance 各一个",
        "grid.cuts: one list → ability and performance",
    ),
    "policy.migrate.quota": (
        "levels：quota_max/quota_min 比例 → quota: {{max, min}}，改为百分数",
        "levels: quota_max/quota_min fractions → quota: {{max, min}} in %",
    ),
    "policy.migrate.bands": (
        "bands：列表 → names 和平均划分 {shares}（请复核划分比例）",
        "bands: list → names and an even split {shares} (review the shares)",
    ),
    "policy.migrate.scoring": (
        "绩效计分：{{method: {{...}}}} → {{method: …, …}}",
        "performance scoring: {{method: {{...}}}} → {{method: …, …}}",
    ),
    "policy.migrate.rural": (
        "pay.adjustments（rural）→ pay.rural",
        "pay.adjustments (rural) → pay.rural",
    ),
    # --- amctl policy … (cli/policy.py) -----------------------------------------------------
    "policy.format_choices": (
        "--format {given}：请使用 {formats!l} 之一",
        "--format {given}: use one of {formats!l}",
    ),
    "policy.no_such_path": ("{path}：没有这个文件或文件夹", "{path}: no such file or folder"),
    "policy.no_yaml": (
        "{path}：此文件夹中没有 .yaml 政策文件",
        "{path}: no .yaml policy files in this folder",
    ),
    "policy.no_tests": (
        "找不到 *.test.yaml 文件；请把标准用例放在政策文件旁边",
        "no *.test.yaml files found; put golden cases beside the policy",
    ),
    "policy.roster_needs_quarter": (
        "--roster 还需要 --quarter，才能确定期间",
        "--roster needs --quarter too, to know the period",
    ),
    # --- cadence (policy/models.py Review, Cadence) ---------------------------------------
    "policy.review_level_without_band": (
        "能移动等级的考评也须能移动档次（moves: [level, band]）：等级变了，原档次不再有意义",
        "a review that moves levels must move bands too (moves: [level, band]): a band means"
        " nothing in a new level",
    ),
    "policy.review_moves_unread": (
        "能移动等级或档次的考评须读取业绩和能力评价（reads: [performance, ratings]）："
        "排名要用综合得分",
        "a review that moves levels or bands must read performance and ratings (reads:"
        " [performance, ratings]): the ranking needs the composite",
    ),
    "policy.review_reads_performance": (
        "每次考评都须读取业绩表（reads 须含 performance）",
        "every review reads the performance table (reads must hold performance)",
    ),
    "policy.review_twice": (
        "两个考评都按 {every} 运行（{a} 和 {b}）：每种期间只能有一个考评",
        "two reviews run every {every} ({a} and {b}): one review per kind of period",
    ),
}
