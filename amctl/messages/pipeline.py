"""Findings and errors of the pipeline area, worded: key → (zh, en).

The area runs a period end to end: grading and its guards (pipeline.*), the policy's own test
cases (pipeline.case_*), the ledger (ledger.*), the workspace's folders and policies
(workspace.*), the period named (period.*) and the files written (output.*). The English is
what amctl has always printed; the Chinese is for the HR analyst and the policy owner. Both
keep as written: the user's words (file names, ids, tiers), rule ids, YAML keys and commands.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the parts messages are built from -------------------------------------------------
    "pipeline.then": ("{first}；{then}", "{first}; {then}"),  # a; b; c, nested two at a time
    "pipeline.at": ("{at}: {what}", "{at}: {what}"),  # a reason at its cell
    "pipeline.finding": ("{at}: {severity}: {what} [{rule}]", "{at}: {severity}: {what} [{rule}]"),
    "pipeline.severity.error": ("错误", "error"),
    "pipeline.severity.warning": ("警告", "warning"),
    "pipeline.severity.note": ("提示", "note"),
    "pipeline.ids": ("{ids!l}", "{ids!l}"),
    "pipeline.ids_more": ("{ids!l} 等（另有 {more} 人）", "{ids!l} and {more} more"),
    # --- grading: dates and missing data (amctl/pipeline/grade.py) -------------------------
    "pipeline.start_after_as_of": (
        "任职日期 {start} 晚于截至日期 {as_of}；请核对日期",
        "post start {start} is after the as-of date {as_of}; check the date",
    ),
    "pipeline.leave_before_start": (
        "离职日期 {leave} 早于任职日期 {start}",
        "leave date {leave} is before the post start {start}",
    ),
    "pipeline.left_before_period": (
        "已于 {leave} 离职，早于 {first_day}：{period} 不评定、不发薪；请从本期花名册中删除该行",
        "left on {leave}, before {first_day}: not graded or paid for {period}; "
        "remove the row from this period's roster",
    ),
    "pipeline.no_performance": ("没有业绩数据行", "no performance row"),
    "pipeline.trainee_gaps": (
        "见习 {eid}：{gaps}：列为{label}（见习不参加排名），缺失数据对应的得分、档次和九宫格"
        "均为空；读取这些数据的薪酬公式会使发薪停止",
        "trainee {eid}: {gaps}: placed {label} (a trainee is not ranked), with no score, band "
        "or 9-box cell from the missing data; a pay formula that reads it stops payroll",
    ),
    "pipeline.no_performance_row": (
        "{eid} 没有业绩数据行；请在业绩表中补上",
        "no performance row for {eid}; add it to the performance table",
    ),
    "pipeline.rating_gap": ("{gap}；请补上评分", "{gap}; add the ratings"),
    "pipeline.rating_gap_or_renormalise": (
        "{gap}；请补上评分，或设置 missing_rater: renormalise",
        "{gap}; add the ratings or set missing_rater: renormalise",
    ),
    "pipeline.the_roster": ("花名册", "the roster"),
    "pipeline.nothing_graded": (
        "{roster}：花名册中没有一行可以评定",
        "{roster}: no roster row could be graded",
    ),
    # --- grading: calibration overrides -----------------------------------------------------
    "pipeline.overrides_other_quarter": (
        "校准调整文件属于 {quarter}，不是 {period}：其中的调整均未应用；"
        "请设置 quarter: {period}，或移走该文件",
        "the overrides file is for {quarter}, not {period}: none of its moves is applied; "
        "set quarter: {period} or move the file",
    ),
    "pipeline.override_not_graded": (
        "{eid} 本期未评定，不能对其校准调整",
        "override for {eid}, who is not graded this quarter",
    ),
    "pipeline.override_not_a_tier": (
        "{eid} 的校准调整目标 {tier} 不是等级档次（{tiers!l}）",
        "override to {tier} for {eid}: not a tier ({tiers!l})",
    ),
    "pipeline.override_not_approved": (
        "{eid}（{name}）调整为 {tier} 的校准调整尚未审批（提出：{who}{at}；缺 {missing!l}）："
        "未应用，{eid} 保持计算所得的 {computed}；审批后请填写 approved_by 和 approved_on"
        "（calibration.require_approval 为 true）",
        "override of {eid} ({name}) to {tier}, proposed by {who}{at}, is not approved "
        "(no {missing!l}): not applied, {eid} keeps the computed {computed}; add approved_by "
        "and approved_on once it is approved (calibration.require_approval is true)",
    ),
    "pipeline.override_proposed_at": ("，于{place}", " at {place}"),
    "pipeline.override_proposer_unnamed": ("未注明", "no one named"),
    "pipeline.override_past_gates": (
        "校准调整将 {eid} 调至 {tier}，未满足 {level} 的资格条件（{failures}）",
        "override moves {eid} to {tier} past the {level} eligibility gates ({failures})",
    ),
    "pipeline.override_past_gates_allowed": (
        "校准调整将 {eid} 调至 {tier}，未满足 {level} 的资格条件（{failures}）；"
        "quota.override_gates 为 advisory，予以允许",
        "override moves {eid} to {tier} past the {level} eligibility gates ({failures}); "
        "allowed, as quota.override_gates is advisory",
    ),
    "pipeline.gate.years": ("任职年限 {have} 年 < {need} 年", "{have} years in post < {need}"),
    "pipeline.gate.education": ("学历{have}低于{need}", "education {have} below {need}"),
    "pipeline.gate.no_exam": ("无技能考试成绩（需 ≥ {need}）", "no exam score (needs ≥ {need})"),
    "pipeline.gate.exam": ("技能考试成绩 {have} < {need}", "exam score {have} < {need}"),
    "pipeline.gate.score": ("{axis!w} {have:.2f} < {need}", "{axis} {have:.2f} < {need}"),
    "pipeline.gate.condition": ("未满足条件：{label}", "condition not met: {label}"),
    # --- grading: levels over their caps after the rules or the overrides --------------------
    "pipeline.cap_head": (
        "{level}（{label}）有 {count} 人，名额 {seats} 个（≤ {base} 人的 {cap_pct:g}%；"
        "排名时列入 {ranked} 人）",
        "{level} ({label}) has {count} managers for {seats} seats "
        "(≤ {cap_pct:g}% of {base}; the ranking placed {ranked})",
    ),
    "pipeline.cause.step": (
        "每期升降级级数限制（dynamics.max_level_step）",
        "the step limit (dynamics.max_level_step)",
    ),
    "pipeline.cause.promotion": (
        "晋升前的达标等待期（dynamics.promotion_after）",
        "waiting to qualify for promotion (dynamics.promotion_after)",
    ),
    "pipeline.cause.improvement": (
        "降级前的改进期（dynamics.demotion_after）",
        "the improvement period (dynamics.demotion_after)",
    ),
    "pipeline.cause.held": (
        "本期考评不调整等级，维持现行等级",
        "kept by a review that does not move levels",
    ),
    "pipeline.cause.override": ("校准调整", "a calibration override"),
    "pipeline.moved_by": ("{n} 人因{cause}：{ids}", "{n} by {cause}: {ids}"),
    "pipeline.dynamics_caps_hard": (
        "请用校准调整守住上限，或设置 quota.dynamics_caps: advisory 予以允许",
        "keep the cap with calibration overrides, or allow it with quota.dynamics_caps: advisory",
    ),
    "pipeline.dynamics_caps_advisory": (
        "quota.dynamics_caps 为 advisory，予以允许",
        "allowed, as quota.dynamics_caps is advisory",
    ),
    "pipeline.over_cap_dynamics": (
        "经动态规则调整后，{head}：{why}；{fix}",
        "after the dynamic rules {head}: {why}; {fix}",
    ),
    "pipeline.override_caps_hard": (
        "请修改校准调整，或设置 quota.override_caps: advisory 予以允许",
        "change the overrides, or allow it with quota.override_caps: advisory",
    ),
    "pipeline.override_caps_advisory": (
        "quota.override_caps 为 advisory，予以允许",
        "allowed, as quota.override_caps is advisory",
    ),
    "pipeline.over_cap_overrides": (
        "经校准调整后，{head}：因{cause}调入：{ids}；{fix}",
        "after the overrides {head}: moved there by {cause}: {ids}; {fix}",
    ),
    # --- the policy's test cases (amctl/pipeline/cases.py) ----------------------------------
    "pipeline.case_invalid": ("{path}：取值无效（{error}）", "{path}: {error}"),
    "pipeline.case_file_invalid": (
        "{path}：不是有效的政策测试文件",
        "{path}: not a valid policy test file",
    ),
    "pipeline.case_failed": ("{case}：{eid} {problem}", "{case}: {eid} {problem}"),
    "pipeline.case_not_graded": ("未评定：{reasons}", "was not graded: {reasons}"),
    "pipeline.case_no_manager": ("不在该用例的客户经理中", "is not among the case's managers"),
    "pipeline.case_graded": (
        "已评定，但该用例预期其不评定",
        "was graded, but the case expects it not to be",
    ),
    "pipeline.case_expected": (
        "{field}：预期 {expected}，实际 {got}",
        "{field}: expected {expected}, got {got}",
    ),
    "pipeline.case_expected_score": (
        "{field}：预期 {expected:.2f}，实际 {got:.2f}",
        "{field}: expected {expected:.2f}, got {got:.2f}",
    ),
    "pipeline.case_unknown_column": (
        "columns.{column} 不是政策声明的列（{columns!l}）",
        "columns.{column} is not a column the policy declares ({columns!l})",
    ),
    "pipeline.case_no_component": (
        "pay：没有薪酬项 {component}",
        "pay: no component {component}",
    ),
    # --- pay (amctl/pipeline/payroll.py) ------------------------------------------------------
    "pipeline.no_pay_section": (
        "政策中没有 pay: 部分；发薪前请先添加",
        "the policy has no pay: section; add one to run payroll",
    ),
    "pipeline.pay_needs_period": (
        "发薪需要有起止日期的考核期，例如季度；{period} 只是截至日期",
        "pay needs a period with a first and a last day, such as a quarter; "
        "{period} is an as-of date",
    ),
    "pipeline.pay_failed": (
        "{path}：{error}；请修正公式或数据",
        "{path}: {error}; fix the formula or the data",
    ),
    # --- the roster alone (amctl/pipeline/roster.py) -----------------------------------------
    "pipeline.no_current_level": (
        "{n} 名客户经理没有现等级，未计入",
        "{n} manager(s) have no current level (现等级); they are not counted",
    ),
    # --- explain and history (amctl/pipeline/explain.py) -------------------------------------
    "pipeline.not_graded": ("{eid} 未评定：{reasons}", "{eid} was not graded: {reasons}"),
    "pipeline.not_on_roster": (
        "{eid} 不在 {period} 的花名册上",
        "{eid} is not on the {period} roster",
    ),
    "pipeline.no_ledger": (
        "{path}：还没有台账；请先记录一个期间（amctl close）",
        "{path}: no ledger yet; record a quarter first (amctl close)",
    ),
    "pipeline.never_recorded": (
        "{eid} 不在任何已记录的期间中",
        "{eid} is in no recorded quarter",
    ),
    "pipeline.nothing_recorded": (
        "还没有记录任何期间；请指定要说明的期间",
        "no quarter is recorded yet; name the quarter to explain",
    ),
    # --- a period's run and its record (amctl/pipeline/run.py) -------------------------------
    "pipeline.policy_has_errors": (
        "{path}：`policy check` 在该政策中发现 {n} 个错误；修正之前，不按该政策评定或发薪",
        "{path}: `policy check` finds {n} error(s) in this policy; "
        "nothing is graded or paid under it until they are fixed",
    ),
    "pipeline.policy_unreadable": (
        "{period} 记录时所用的政策，当前版本的 amctl 已无法读取（{problems}）",
        "{period} was recorded under a policy this amctl no longer reads ({problems})",
    ),
    "pipeline.record_as_of": (
        "只能记录考核期，不能记录截至日期；请指定考核期",
        "only a period is recorded, not an as-of date; name the period",
    ),
    "pipeline.recorded_already": (
        "{period} 取自台账，已经记录",
        "{period} shown from the ledger is recorded already",
    ),
    "pipeline.not_recorded": (
        "{period} 未记录：本次运行违反政策（见上方 {n} 个错误）；请修正，或在政策中允许",
        "{period} is not recorded: the run breaks the policy ({n} error(s) above); "
        "fix them, or allow them in the policy",
    ),
    # --- the command line (amctl/cli/*.py) -----------------------------------------------------
    "pipeline.usage.lang": ("--lang {value}：请用 zh 或 en", "--lang {value}: use zh or en"),
    "pipeline.usage.payroll_quarter": (
        "payroll 需要 --quarter（要发薪的季度，例如 2024Q3）",
        "payroll needs --quarter (the quarter to pay, e.g. 2024Q3)",
    ),
    "pipeline.usage.record_only": (
        "--replace 和 --reason 须与 --record 一起使用",
        "--replace and --reason go with --record",
    ),
    "pipeline.usage.replace_reason": (
        '--replace 需要 --reason "原因"：审计记录会保存它',
        '--replace needs --reason "why": the audit trail keeps it',
    ),
    "pipeline.usage.report_output": (
        "report 需要 -o/--output：要写出的 .html 文件",
        "report needs -o/--output: the .html file to write",
    ),
    "pipeline.usage.report_input": (
        "请给出 --quarter（读取 data/QUARTER/）或花名册路径",
        "give --quarter (to read data/QUARTER/) or a roster path",
    ),
    "pipeline.usage.statements_output": (
        "statements 需要 -o/--output：要写出的 .xlsx 或 .html 文件",
        "statements needs -o/--output: the .xlsx or .html file to write",
    ),
    "pipeline.usage.statements_quarter": (
        "statements 需要 --quarter（季度，例如 2024Q3）",
        "statements needs --quarter (the quarter, e.g. 2024Q3)",
    ),
    # --- the period (amctl/period.py, amctl/cli/periods.py) ----------------------------------
    "period.not_a_period": (
        "'{text}' 不是期间；请写成月 2024-08、季度 2024Q3、半年 2024H2 或年 2024",
        "'{text}' is not a period; write a month 2024-08, a quarter 2024Q3, a half 2024H2 or"
        " a year 2024",
    ),
    "period.year_range": (
        "'{text}'：年份须在 1950 到 2100 之间",
        "'{text}': the year must be between 1950 and 2100",
    ),
    "period.kind.month": ("月", "month"),
    "period.kind.quarter": ("季度", "quarter"),
    "period.kind.half": ("半年", "half-year"),
    "period.kind.year": ("年", "year"),
    "period.quarter_and_as_of": (
        "--quarter 和 --as-of 只能给一个",
        "give --quarter or --as-of, not both",
    ),
    # --- the ledger (amctl/ledger/store.py) ----------------------------------------------------
    "ledger.closed": (
        "{quarter} 已记录并关账（运行 {run}，{at}，政策 {policy} {version}），"
        "与本次的输入、政策或历史不同；已关账的期间只能替换，并须写明原因记入审计记录",
        "{quarter} is recorded and closed (run {run}, {at}, policy {policy} {version}) "
        "with other inputs, policy or history; a closed quarter changes only when it is "
        "replaced, with a reason for the audit trail",
    ),
    "ledger.cannot_read": (
        "{path}：无法读取台账（{error}）；请检查其权限",
        "{path}: the ledger cannot be read ({error}); check its permissions",
    ),
    "ledger.busy": (
        "{path}：另一个 amctl 正在写入台账；已等待 {seconds:g} 秒。请在其完成后再运行",
        "{path}: another amctl is writing to the ledger; waited {seconds:g} s. "
        "Run this again when it has finished",
    ),
    "ledger.read_only": (
        "{path}：无法在此写入台账（{error}）；history、explain 和 grade 仍可使用，"
        "记录期间需要工作区 .amctl 文件夹的写权限",
        "{path}: the ledger cannot be written here ({error}); history, explain and grade "
        "still work, recording a quarter needs write access to the workspace's .amctl folder",
    ),
    "ledger.not_sqlite": (
        "{path}：不是 SQLite 文件，因此不是 amctl 台账（已损坏，或被其他文件替换）。"
        "amctl 不改动它：请移走它以新建台账，或放回你保存的台账副本",
        "{path}: not an SQLite file, so not an amctl ledger (damaged, or another file put "
        "in its place). amctl leaves it as it is: move it aside to start a new ledger, or "
        "put back your copy of the ledger",
    ),
    "ledger.damaged": (
        "{path}：台账文件已损坏（{error}）；请放回你保存的副本（备份或 git 中的），"
        "或移走它以新建台账",
        "{path}: the ledger file is damaged ({error}); put back your copy of it (from "
        "backup or git), or move it aside to start a new ledger",
    ),
    "ledger.unusable": (
        "{path}：台账无法使用：{error}",
        "{path}: the ledger cannot be used: {error}",
    ),
    "ledger.not_a_file": (
        "{path}：台账文件的位置上是一个文件夹（或其他特殊文件）；请将其移走",
        "{path}: a folder (or another special file) where the ledger file should be; move it aside",
    ),
    "ledger.no_folder": (
        "{folder}：无法创建台账的文件夹（{reason}）；记录期间需要工作区的写权限",
        "{folder}: cannot create the ledger's folder ({reason}); "
        "recording a quarter needs write access to the workspace",
    ),
    "ledger.foreign": (
        "{path}：是 SQLite 数据库，但不是 amctl 台账（其中的表：{tables!l}）。"
        "amctl 不改动它；请移走它，以在此新建台账",
        "{path}: an SQLite database, but not an amctl ledger (it holds the tables {tables!l}). "
        "amctl leaves it as it is; move it aside to start a ledger here",
    ),
    "ledger.bad_version": (
        "{path}：台账的结构版本 {version} 不是数字，文件被手工改过。请放回你保存的台账副本",
        "{path}: the ledger's schema version is {version}, not a number; the file "
        "was changed by hand. Put back your copy of the ledger",
    ),
    "ledger.newer": (
        "{path}：由更新版本的 amctl 写入（台账结构 {version}，本版本读取 {reads}）；请升级 amctl",
        "{path}: written by a newer amctl (ledger schema {version}, this amctl "
        "reads {reads}); upgrade amctl",
    ),
    "ledger.older": (
        "{path}：由较旧版本的 amctl 写入（台账结构 {version}）；下次记录期间时自动升级，需要写权限",
        "{path}: written by an older amctl (ledger schema {version}); it is "
        "upgraded the next time a quarter is recorded, which needs write access",
    ),
    "ledger.opened_for_reading": (
        "{path}：以只读方式打开；不能记录",
        "{path}: opened for reading; cannot record",
    ),
    "ledger.replace_needs_reason": (
        "替换已记录的期间需要写明原因：审计记录会保存它",
        "replacing a recorded quarter needs a reason: the audit trail keeps it",
    ),
    "ledger.would_drop_pay": (
        "{quarter} 记录时含薪酬；只用评定结果替换会丢掉薪酬：请用同时发薪的运行替换",
        "{quarter} was recorded with its pay; replacing it with a grading "
        "alone would drop the pay: replace it with a run that pays too",
    ),
    "ledger.basis_moved": (
        "计算 {quarter} 期间，之前的期间被重新记录（本次读取的运行为 {read}，台账现为 {now}）；"
        "请重新运行",
        "the earlier quarters were recorded again while this run of "
        "{quarter} was computed (it read runs {read}, the ledger now holds {now}); run it again",
    ),
    # --- the workspace (amctl/workspace/*.py) ----------------------------------------------------
    "workspace.not_empty": (
        "{folder}：已存在且不为空；请另选一个新文件夹",
        "{folder}: already exists and is not empty; choose a new folder",
    ),
    "workspace.no_bundled_policy": (
        "没有名为 {name} 的内置政策；请选择以下之一：{names!l}",
        "no bundled policy is named {name}; choose one of {names!l}",
    ),
    "workspace.no_folder": ("{folder}：没有这个工作区文件夹", "{folder}: no such workspace folder"),
    "workspace.no_period_folder": (
        "没有 {period} 的文件夹 {folder}；请把该期的工作簿放在那里"
        "（data/{period}/roster.xlsx），或给出花名册的路径",
        "no folder {folder} for {period}; put the period's workbooks there "
        "(data/{period}/roster.xlsx) or give the roster's path",
    ),
    "workspace.files": ("{names!l}", "{names!l}"),
    "workspace.no_spreadsheets": ("没有电子表格", "no spreadsheets"),
    "workspace.which_roster": (
        "{folder} 中有 {listed}；请把花名册命名为 roster.xlsx，或给出花名册的路径",
        "{folder} has {listed}; name the roster roster.xlsx or give the roster's path",
    ),
    "workspace.policy_from": ("{path} 自 {date} 起", "{path} from {date}"),
    "workspace.no_policy_in_effect": (
        "{folder} 中没有在 {as_of} 生效的政策（{dates!l}）；"
        "请明确指定政策文件，或修正 effective_from",
        "no policy in {folder} is in effect on {as_of} ({dates!l}); "
        "choose the policy file explicitly, or fix effective_from",
    ),
    # --- writing files (amctl/export/safe.py, amctl/export/closing.py) -------------------------
    "output.unknown_format": (
        "{out}：未知的输出格式 '{suffix}'；请用 {formats!l} 之一",
        "{out}: unknown output format '{suffix}'; use one of {formats!l}",
    ),
    "output.symlink_loop": (
        "{out}：符号链接成环；请把输出写到别处",
        "{out}: a symlink loop; write the output somewhere else",
    ),
    "output.is_input": (
        "{out}：这是一个输入文件；请把输出写到别处",
        "{out}: this is an input file; write the output somewhere else",
    ),
    "output.dangling_link": (
        "{out}：指向 {target} 的符号链接，而该目标不存在；amctl 只在明确要求时（--force）"
        "替换链接，或请把输出写到别处",
        "{out}: a symlink to {target}, which does not exist; amctl replaces the link only "
        "when told to (--force), or write the output somewhere else",
    ),
    "output.no_folder": (
        "{out}：文件夹 {folder} 不存在；请先创建",
        "{out}: folder {folder} does not exist; create it first",
    ),
    "output.exists": (
        "{out}：文件已存在；amctl 只在明确要求时替换文件",
        "{out}: already exists; amctl replaces a file only when told to",
    ),
    "output.cannot_write_here": (
        "{out}：无法在此写入（{reason}）；请检查文件夹",
        "{out}: cannot write here ({reason}); check the folder",
    ),
    "output.cannot_write": (
        "{out}：无法写入（{reason}）；请检查磁盘空间和权限",
        "{out}: cannot write ({reason}); check space and permissions",
    ),
    "output.appeared": (
        "{out}：amctl 写入期间该文件已出现；amctl 只在明确要求时替换文件",
        "{out}: appeared while amctl was writing it; amctl replaces a file only when told to",
    ),
    "output.close_tables": (
        "表格格式 {given}：成绩表和薪酬表只能写为 {formats!l} 之一",
        "tables as {given}: the grading and payroll tables are written as one of {formats!l}",
    ),
    "output.large_xlsx": (
        "{out}：{rows:,} 行的工作簿写入、打开和筛选都很慢（超过 {large:,} 行）；"
        "这样大的结果请改用 .csv 或 .parquet 输出，写入只需几分之一的时间",
        "{out}: a workbook of {rows:,} rows is slow to write, open and filter (over {large:,}); "
        "at this size .csv or .parquet is the sane output, written in a fraction of the time",
    ),
    "output.xlsx_rows": (
        "{out}：工作表 {sheet} 有 {rows:,} 行，超过 xlsx 工作表能容纳的 {limit:,} 行"
        "（含标题行和表头）；请输出 .csv 或 .parquet",
        "{out}: sheet {sheet} has {rows:,} rows, more than the {limit:,} an xlsx sheet holds "
        "(its title and header rows included); write .csv or .parquet instead",
    ),
    "output.quarter_folder": (
        "{folder}：无法创建该期间的输出文件夹（{reason}）；该期间已记录，"
        "文件夹可写后再次关账即可写出文件",
        "{folder}: cannot create the quarter's output folder ({reason}); the quarter is "
        "recorded, and closing it again writes the files once the folder can be written",
    ),
    "pipeline.run_recorded": (
        "{period} 已记录：运行 {run}，{at}",
        "{period} is recorded: run {run} of {at}",
    ),
    "pipeline.run_no_previous": (
        "{period} 之前没有已记录的同类期间：本次不适用动态规则",
        "no period of its kind before {period} is recorded: no dynamic rules this time",
    ),
    "pipeline.run_gap": (
        "最近记录的同类期间是 {previous}，不是紧接 {period} 之前的那一期",
        "the last recorded period of its kind is {previous}, not the one just before {period}",
    ),
    "pipeline.run_overrides": (
        "应用 {file} 中的 {n} 条校准调整",
        "applying {n} calibration override(s) from {file}",
    ),
    "pipeline.run_overrides_waiting": (
        "应用 {file} 中的 {n} 条校准调整；另有 {waiting} 条尚未审批，不予应用",
        "applying {n} calibration override(s) from {file}; {waiting} more await approval and "
        "are not applied",
    ),
    "pipeline.run_compared": (
        "{period} 已记录（运行 {run}，{at}）：本次结果与之比较",
        "{period} is recorded (run {run} of {at}): this run is compared with it",
    ),
    "pipeline.run_thin_record": (
        "运行 {run} 只保存了每人的等级档次和薪酬（由较早的 amctl 记录）：此处重新计算并与记录比较；"
        "重新结账该期间即可完整保存",
        "run {run} keeps only each manager's tiers and pay (an older amctl recorded it): shown "
        "computed again, compared with the record; closing the quarter again keeps it whole",
    ),
    "pipeline.drift_unknown": (
        "无法比较今天的文件：{why}",
        "today's files cannot be compared: {why}",
    ),
    "pipeline.drift_policy": (
        "现行政策为 {name} {version}（{path}）；记录使用的是 {then_name} {then_version}：{changes}",
        "the policy in effect is now {name} {version} ({path}); the record used {then_name} "
        "{then_version}: {changes}",
    ),
    "pipeline.drift_same_rules": ("规则相同，文字不同", "the same rules, other text"),
    "pipeline.drift_more": ("{changes}；另有 {n} 处改动", "{changes}; and {n} more changes"),
    "pipeline.drift_new_input": ("{name} 是记录之后新增的", "{name} is new since the record"),
    "pipeline.drift_gone_input": (
        "{name} 在记录时使用，现在不再使用",
        "{name} was used by the record and is not used now",
    ),
    "pipeline.drift_changed_input": (
        "{name} 在记录之后有改动",
        "{name} has changed since the record",
    ),
    "pipeline.drift_rerecorded": (
        "本记录的动态规则读取的 {period} 此后被重新记录",
        "{period}, which this record's dynamic rules read, was recorded again since",
    ),
    "pipeline.drift_later": (
        "{period} 在本期之后才记录；本期的动态规则没有读取它",
        "{period} was recorded after this quarter; its dynamic rules did not read it",
    ),
    "pipeline.current_over": (
        "{label}（{level}）：{share}，超过上限 {cap}%"
        "（{base} 人中至多 {seats} 人）：超出 {over} 人",
        "{level} ({label}): {share} exceeds the cap of {cap}% (at most {seats} of {base}): "
        "{over} over",
    ),
    "pipeline.current_under": (
        "{label}（{level}）：{share}，低于下限 {floor}%（{base} 人中至少 {seats} 人）",
        "{level} ({label}): {share} is under the floor of {floor}% (at least {seats} of {base})",
    ),
    "pipeline.problems": ("{n} 个问题", "{n} problem(s)"),
    "pipeline.step_reading": ("读取 {names}", "reading {names}"),
    "pipeline.step_grading": ("评定 {n} 人", "grading {n} managers"),
    "pipeline.step_paying": ("计算 {n} 人的薪酬", "paying {n} managers"),
    "pipeline.step_comparing": ("与今天的文件比较", "comparing with today's files"),
    "pipeline.step_recording": ("记入台账", "recording"),
    "pipeline.step_writing": ("写出 {path}", "writing {path}"),
    "pipeline.step_start": ("评定中", "grading"),
    "pipeline.step_read": ("读取中", "reading"),
    # --- cadence (pipeline/grade.py, pipeline/run.py) ---------------------------------------
    "pipeline.no_tier_in_force": (
        "没有现行等级档次（账本无记录，花名册现等级为空），而{review}不评定等级档次：请在花名册填写现等级和现档次，"
        "或先记录一次调整等级的考评",
        "no tier in force (none recorded, and the roster's current level is blank), and"
        " {review} does not grade tiers: fill in the roster's current level and band, or"
        " record a review that moves levels first",
    ),
    "pipeline.pays_per": (
        "政策 {name} 按{kind}发薪，{period} 不是发薪期间："
        "请按{kind}运行 payroll（例如 --period 2024-08）",
        "policy {name} pays per {kind}; {period} is not a pay period: run payroll for a {kind}"
        " (e.g. --period 2024-08)",
    ),
    "pipeline.no_review_at": (
        "政策 {name} 没有按{kind}进行的考评，也不按{kind}发薪（{period}）："
        "其考评为 {reviews}，按{pay}发薪",
        "policy {name} has no review and no pay run per {kind} ({period}): its reviews are"
        " {reviews}, and it pays per {pay}",
    ),
    "pipeline.override_review_keeps_tier": (
        "校准调整 {eid} 调至 {tier} 未执行：本期考评不调整等级和档次"
        "（只在调整等级或档次的考评中校准）",
        "the override of {eid} to {tier} is not applied: this period's review moves neither"
        " level nor band (calibrate at a review that moves them)",
    ),
    "pipeline.override_review_keeps_band": (
        "校准调整 {eid} 调至 {tier} 未执行：本期考评只调整档次，不调整等级"
        "（等级在调整等级的考评中校准）",
        "the override of {eid} to {tier} is not applied: this period's review moves bands, not"
        " levels (calibrate levels at the review that moves them)",
    ),
}
