"""Findings of the data area, worded: key → (zh, en).

Read by HR analysts: their own headers, cell values, sheet and file names stay as written in
both languages, and so do policy keys (columns.post_start, education.aliases) and the
AMCTL_MAX_… settings. `{name!w}` names an internal field by the column people know it as.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- one cell read as its type (amctl/data/cells.py) ----------------------------------
    "data.cell_hidden_char": (
        "'{shown}' 含有不可见字符（U+{code}）；请重新输入编号",
        "'{shown}' holds an invisible character (U+{code}); retype the id",
    ),
    "data.cell_bool_not_number": (
        "{value} 不是数字；请填写数字",
        "{value} is not a number; write a number",
    ),
    "data.cell_date_not_number": (
        "{value} 是日期，不是数字；请把单元格格式设为数值",
        "{value} is a date, not a number; format the cell as a number",
    ),
    "data.cell_comma": (
        "'{raw}' 中的逗号不是千位分隔符；小数请用小数点，如 302.1",
        "'{raw}' has a comma that is not a thousands separator; "
        "write decimals with a point, e.g. 302.1",
    ),
    "data.cell_not_number": (
        "'{raw}' 不是数字；请只填数字，如 1234.5",
        "'{raw}' is not a number; write digits only, e.g. 1234.5",
    ),
    "data.cell_not_finite": (
        "{value} 不是有限的数；请填写实际数字",
        "{value} is not a finite number; write a real figure",
    ),
    "data.cell_serial_not_date": (
        "{value} 不是日期；请写成 2019-03-01",
        "{value} is not a date; write it as 2019-03-01",
    ),
    "data.cell_unreal_date": (
        "'{raw}' 不是存在的日期；请核对月份和日",
        "'{raw}' is not a real date; check month and day",
    ),
    "data.cell_not_date": (
        "'{raw}' 不是日期；请写成 2019-03-01",
        "'{raw}' is not a date; write it as 2019-03-01",
    ),
    "data.cell_not_flag": (
        "'{raw}' 不是“是/否”；请填 是 或 否",
        "'{raw}' is not yes/no; write 是 or 否",
    ),
    "data.cell_not_yesno": (
        "'{raw}' 不是“是/否”；请填 是 或 否（也可以是 有/无、Y/N、yes/no、true/false、1/0）",
        "'{raw}' is not yes/no; write 是 or 否 (有/无, Y/N, yes/no, true/false and 1/0 read too)",
    ),
    # --- a table read from its sheet (amctl/data/tables.py) -------------------------------
    "data.cell_empty": ("{header} 为空；请填写", "{header} is empty; fill it in"),
    "data.cell_unreadable": ("{header}：{problem}", "{header}: {problem}"),
    "data.percent_in_number": (
        "{header}：'{raw}' 是百分数，但政策把这一列读作普通数字；请填写数值，"
        "或把该指标的 unit 声明为 percent",
        "{header}: '{raw}' is a percentage, but the policy reads this column as a plain number; "
        "write the figure, or declare the indicator's unit: percent",
    ),
    "data.out_of_range": (
        "{header} {value} 超出范围 [{low}, {high}]；请核对数字",
        "{header} {value} is out of range [{low}, {high}]; check the figure",
    ),
    "data.column_repeated": (
        "'{header}' 列与已从 {used} 列读取的{name!w}重复；本列被忽略：请删除或重命名",
        "column '{header}' repeats {name}, which is read from column {used}; "
        "this column is ignored: delete or rename it",
    ),
    "data.sheet_empty": (
        "工作表为空：需要一行表头和数据",
        "the sheet is empty; it needs a header row and data",
    ),
    "data.column_missing": (
        "表头第 {row} 行没有{name!w}列；请把列名写成以下之一：{accepted!l}"
        "（或在政策的 {setting} 下添加你的表头）",
        "the header row {row} has no column for {name}; name a column one of: {accepted!l} "
        "(or add your header under {setting} in the policy)",
    ),
    "data.column_missing_no_header": (
        "前 {rows} 行中找不到表头：没有一行含{name!w}列；请把列名写成以下之一：{accepted!l}"
        "（或在政策的 {setting} 下添加你的表头）",
        "no header row found in the first {rows} rows: none has a column for {name}; "
        "name a column one of: {accepted!l} (or add your header under {setting} in the policy)",
    ),
    "data.rows_left_out": (
        "{count} 行不是客户经理，未读入：{rows}",
        "{count} row(s) left out, as they are not managers: {rows}",
    ),
    "data.left_total": ("第 {row} 行：合计行（{text}）", "row {row}: a total ({text})"),
    "data.left_note": ("第 {row} 行：注释行（{text}）", "row {row}: a note ({text})"),
    # two parts of a list whose English joins with a semicolon, or with "and"
    "data.semicolon": ("{a}；{b}", "{a}; {b}"),
    "data.and": ("{a} 和 {b}", "{a} and {b}"),
    # --- the three tables checked (amctl/data/inputs.py) ----------------------------------
    "data.table_roster": ("花名册", "roster"),
    "data.table_performance": ("业绩表", "performance"),
    "data.table_ratings": ("能力评价表", "ratings"),
    "data.roster_empty": (
        "花名册表头下没有数据行；请填写",
        "the roster has no rows under its header; fill it in",
    ),
    "data.inputs_unusable": ("输入表无法使用", "the input tables cannot be used"),
    "data.target_zero": (
        "{header} 为 0，无法计算完成率；请设定目标",
        "{header} is 0, so attainment is undefined; set the target",
    ),
    "data.id_repeated": (
        "员工编号 {eid} 在第 {rows!l} 行再次出现；编号必须唯一",
        "employee id {eid} appears again in row {rows!l}; ids must be unique",
    ),
    "data.education_unknown": (
        "{header} '{value}' 不是 {levels!l} 之一；"
        "请改用其中之一，或在 education.aliases 下添加别名",
        "{header} '{value}' is not one of {levels!l}; use one of them or add an alias "
        "under education.aliases",
    ),
    "data.choice_unknown": (
        "{header} '{value}' 不是可选值 {choices!l} 之一；请改用其中之一，"
        "或在政策的 columns.{name}.choices 下添加",
        "{header} '{value}' is not one of the choices {choices!l}; use one of them or add it "
        "under columns.{name}.choices in the policy",
    ),
    "data.level_unknown": (
        "现任层级 '{value}' 不是政策中的层级（{levels!l}）；定级时不考虑它",
        "current level '{value}' is not a level of the policy ({levels!l}); grading ignores it",
    ),
    "data.date_too_early": (
        "{header} {date} 早于 {year} 年；请核对日期",
        "{header} {date} is before {year}; check the date",
    ),
    "data.not_on_roster": (
        "{table}中员工 {eid} 的行：此人不在花名册上；该行不使用",
        "{table} row for employee {eid}, who is not on the roster; the row is not used",
    ),
    "data.second_row": (
        "{table}中员工 {eid} 的第二行（第一行在第 {first} 行）；每位客户经理只保留一行",
        "second {table} row for employee {eid} (first in row {first}); keep one row per manager",
    ),
    # --- the ratings table (amctl/data/ratings.py) ----------------------------------------
    "data.word_rater": ("评价人", "rater"),
    "data.word_indicator": ("指标", "indicator"),
    "data.no_rater_hint": (
        "{problem}；或者，若该表没有评价人列，请在政策的 ability.columns 下说明每一列是谁的评分"
        "（见 README 的 'Your own workbook' 一节）",
        "{problem}; or, when the sheet has no rater column, say whose each column is under "
        "ability.columns in the policy (README: Your own workbook)",
    ),
    "data.no_rating_column": (
        "没有评分列：表头中没有 ability.columns 所描述的任何指标列（例如 {examples!l}）",
        "no rating column: the header has none of the indicator columns ability.columns "
        "describes (for example {examples!l})",
    ),
    "data.ratings_not_on_roster": (
        "员工 {eid} 的评价：此人不在花名册上；该行不使用",
        "ratings for employee {eid}, who is not on the roster; the row is not used",
    ),
    "data.word_undefined": (
        "{what} '{value}' 未在政策中定义（{choices!l}）；"
        "请改用其中之一，或把 '{value}' 加入它的 aliases",
        "{what} '{value}' is not defined in the policy ({choices!l}); use one of them "
        "or add '{value}' to its aliases",
    ),
    # --- a metric read to its declared unit (amctl/data/units.py) -------------------------
    "data.unit_percent": (
        "百分数（0–100：15.59 % 写作 15.59）",
        "percent (0–100: 15.59 for 15.59 %)",
    ),
    "data.unit_fraction": (
        "小数（0–1：15.59 % 写作 0.1559）",
        "a fraction (0–1: 0.1559 for 15.59 %)",
    ),
    "data.scale_fraction": ("小数（0–1）", "fraction (0–1)"),
    "data.scale_percent": ("百分数（0–100）", "percent (0–100)"),
    "data.why_others_said": (
        "该列其他单元格用 % 号或百分比格式标明了刻度",
        "other cells in the column say their scale with a % sign or a percent format",
    ),
    "data.why_all_fit": (
        "该列所有普通数字都符合那种刻度",
        "every plain number in the column fits that scale",
    ),
    "data.why_xlsx_only": (
        "{why}（百分比格式只从 .xlsx 文件读取：请把工作簿另存为 .xlsx）",
        "{why} (percent formats are read from .xlsx files: save the workbook as .xlsx)",
    ),
    "data.wrong_scale": (
        "{header} {value} 看起来是{other}，但该列声明为{unit}，而且{why}；请带 % 号填写，"
        "或把单元格设为百分比格式，或在政策中修改该指标的 unit",
        "{header} {value} looks like a {other}, but the column is declared in {unit}, "
        "and {why}; write it with its % sign, or format the cell as a percentage, "
        "or change the indicator's unit in the policy",
    ),
    "data.percent_out_of_range": (
        "{header} {value} % 超出范围 [{low}, {high}]；请核对数字",
        "{header} {value} % is out of range [{low}, {high}]; check the figure",
    ),
    # --- budgets before a file is read (amctl/data/guard.py) ------------------------------
    "data.over_limit": (
        "{what}，超过上限 {limit:,}；花名册从不需要这么多，文件已损坏或是被恶意构造的。"
        "如果文件确实无误，请提高上限：AMCTL_MAX_{name}=…",
        "{what}, over the limit of {limit:,}; a roster never needs that, so the file is "
        "damaged or built to hurt. If it is genuine, raise the limit: AMCTL_MAX_{name}=…",
    ),
    "data.over_limit_times": (
        "{what}，超过上限 {limit:,}（{times} × AMCTL_MAX_{name}）；花名册从不需要这么多，"
        "文件已损坏或是被恶意构造的。如果文件确实无误，请提高上限：AMCTL_MAX_{name}=…",
        "{what}, over the limit of {limit:,} ({times} × AMCTL_MAX_{name}); a roster never "
        "needs that, so the file is damaged or built to hurt. If it is genuine, raise the "
        "limit: AMCTL_MAX_{name}=…",
    ),
    "data.not_read": ("{path}：未读取：{what}", "{path}: not read: {what}"),
    "data.file_bytes": ("文件有 {bytes:,} 字节", "the file has {bytes:,} bytes"),
    "data.file_lines": ("文件有 {lines:,} 行", "the file has {lines:,} lines"),
    "data.file_fields": ("文件有 {fields:,} 个字段", "the file has {fields:,} fields"),
    "data.line_columns": (
        "第 {line:,} 行有 {columns:,} 列",
        "line {line:,} has {columns:,} columns",
    ),
    "data.declares_rows": ("文件声明有 {rows:,} 行", "the file declares {rows:,} rows"),
    "data.declares_columns": (
        "文件声明有 {columns:,} 列",
        "the file declares {columns:,} columns",
    ),
    "data.unpacks_bytes": ("文件解压后有 {bytes:,} 字节", "the file unpacks to {bytes:,} bytes"),
    "data.entry_inflates": (
        "{entry} 解压后有 {bytes:,} 字节",
        "{entry} inflates to {bytes:,} bytes",
    ),
    "data.entry_inflates_beyond": (
        "{entry} 解压后超过 {bytes:,} 字节",
        "{entry} inflates beyond {bytes:,} bytes",
    ),
    "data.workbook_sheets": (
        "工作簿有 {sheets:,} 个工作表",
        "the workbook has {sheets:,} sheets",
    ),
    "data.strings_inflate": (
        "共享字符串解压后有 {bytes:,} 字节",
        "the shared strings inflate to {bytes:,} bytes",
    ),
    "data.strings_inflate_beyond": (
        "共享字符串解压后超过 {bytes:,} 字节",
        "the shared strings inflate beyond {bytes:,} bytes",
    ),
    "data.strings_many": (
        "共享字符串超过 {strings:,} 个",
        "the shared strings hold more than {strings:,} strings",
    ),
    "data.sheet_inflates": (
        "工作表解压后有 {bytes:,} 字节",
        "the sheet inflates to {bytes:,} bytes",
    ),
    "data.sheet_inflates_beyond": (
        "工作表解压后超过 {bytes:,} 字节",
        "the sheet inflates beyond {bytes:,} bytes",
    ),
    "data.content_inflates": (
        "内容解压后有 {bytes:,} 字节",
        "the content inflates to {bytes:,} bytes",
    ),
    "data.content_inflates_beyond": (
        "内容解压后超过 {bytes:,} 字节",
        "the content inflates beyond {bytes:,} bytes",
    ),
    "data.repeated_spaces": (
        "文本要求 {spaces:,} 个重复空格",
        "the text asks for {spaces:,} repeated spaces",
    ),
    "data.repeats_stretch": (
        "重复的行和单元格把一张表撑到 {rows:,} 行 × {columns:,} 列",
        "repeated rows and cells stretch a table to {rows:,} rows × {columns:,} columns",
    ),
    "data.repeats_walk": (
        "重复的行和单元格相当于要逐一走过 {cells:,} 个单元格",
        "repeated rows and cells stand for {cells:,} cells to walk through",
    ),
    "data.not_regular_file": (
        "不是普通文件（而是设备、管道或套接字）；请提供工作簿或 csv 文件",
        "not a regular file (a device, a pipe or a socket); give a workbook or csv",
    ),
    "data.styles_formats": (
        "styles.xml 声明了 {formats:,} 个单元格格式，超过电子表格程序会写的 {limit:,} 个；"
        "请在 Excel/WPS 中打开并重新保存",
        "styles.xml declares {formats:,} cell formats, beyond the {limit:,} a spreadsheet "
        "program writes; open it in Excel/WPS and save it again",
    ),
    "data.styles_formats_short": (
        "styles.xml 声明了 {formats:,} 个单元格格式，超过 {limit:,} 个",
        "styles.xml declares {formats:,} cell formats, beyond the {limit:,}",
    ),
    "data.cell_beyond_row": (
        "第 {row:,} 行有单元格，超出了电子表格程序会写的范围",
        "a cell at row {row:,}, beyond what a spreadsheet program writes",
    ),
    "data.cell_beyond_column": (
        "第 {column:,} 列有单元格，超出了电子表格程序会写的范围",
        "a cell at column {column:,}, beyond what a spreadsheet program writes",
    ),
    "data.cell_stretches": (
        "{cell} 处的单元格把工作表撑到 {rows:,} 行 × {columns:,} 列",
        "a cell at {cell} stretches the sheet to {rows:,} rows × {columns:,} columns",
    ),
    "data.too_large": (
        "{what}，太大，无法读取；请删除表格以外的零散单元格（在 Excel 中按 Ctrl+End "
        "可看到最后使用的单元格），或把表格另存为 csv",
        "{what}, too large to read; delete the stray cells beyond the table "
        "(in Excel, Ctrl+End shows the last used cell) or save the table as csv",
    ),
    "data.too_large_raise": (
        "{what}，太大，无法读取；请删除表格以外的零散单元格（在 Excel 中按 Ctrl+End "
        "可看到最后使用的单元格），或把表格另存为 csv；如果工作表确实无误，请提高 AMCTL_MAX_{name}",
        "{what}, too large to read; delete the stray cells beyond the table "
        "(in Excel, Ctrl+End shows the last used cell) or save the table as csv; "
        "if the sheet is genuine, raise AMCTL_MAX_{name}",
    ),
    "data.markup_unclosed": (
        "工作表的 XML 从第 {offset:,} 字节起有一处标记没有闭合，或不是电子表格程序会写的样子"
        "（{start!r}…）；请在 Excel/WPS 中打开并重新保存",
        "the sheet's XML, from byte {offset:,} on, holds markup that does not close or that no "
        "spreadsheet program writes ({start!r}…); open the workbook in Excel/WPS and save it "
        "again",
    ),
    "data.shared_index": (
        "单元格 {cell} 标为共享字符串，却写着 {value!r}，而不是一个整数索引；"
        "读取程序会把它当作第一个共享字符串。"
        "文件已损坏或是被恶意构造的：请在 Excel/WPS 中打开并重新保存，或索取一份新的",
        "cell {cell} is marked as a shared string but holds {value!r}, not one whole-number "
        "index, which the reader would take for the first shared string; the file is damaged "
        "or crafted: open it in Excel/WPS and save it again, or ask for a new copy",
    ),
    "data.unsafe_workbook": ("无法安全地读取该工作簿", "the workbook cannot be read safely"),
    "data.zip_damaged": (
        "工作簿的 zip 已损坏（{kind}: {error}）；请在 Excel/WPS 中打开并重新保存，或索取一份新的",
        "the workbook's zip is damaged ({kind}: {error}); open it in Excel/WPS "
        "and save it again, or ask for a new copy",
    ),
    "data.zip_size_lies": (
        "工作簿的 zip 条目 {entry} 解压后有 {size:,} 字节，而不是其头部声明的 {declared:,} 字节；"
        "文件已损坏或是被恶意构造的：请在 Excel/WPS 中打开并重新保存，或索取一份新的",
        "the workbook's zip entry {entry} inflates to {size:,} bytes, not the {declared:,} its "
        "header declares; the file is damaged or built to hurt: open it in Excel/WPS and save "
        "it again, or ask for a new copy",
    ),
    "data.zip_two_ends": (
        "工作簿的 zip 有两个结束记录，不同的程序会从中读出不同的内容；文件已损坏或是被恶意构造的："
        "请在 Excel/WPS 中打开并重新保存，或索取一份新的",
        "the workbook's zip has two end records, from which programs read different contents; "
        "the file is damaged or built to hurt: open it in Excel/WPS and save it again, or ask "
        "for a new copy",
    ),
    "data.zip_encrypted": (
        "工作簿的 zip 条目 {entry} 已加密，无法读取；请在 Excel/WPS 中打开，另存一份普通的 .xlsx",
        "the workbook's zip entry {entry} is encrypted and cannot be read; open the workbook in "
        "Excel/WPS and save a plain .xlsx copy",
    ),
    "data.zip_method": (
        "工作簿的 zip 条目 {entry} 用 {method} 压缩，电子表格程序不这样写，也无法读取；"
        "它多半被压缩工具重新打包过：请在 Excel/WPS 中打开，另存一份普通的 .xlsx",
        "the workbook's zip entry {entry} is compressed with {method}, which no spreadsheet "
        "program writes and which cannot be read; a zip tool has likely repacked it: open it "
        "in Excel/WPS and save a plain .xlsx copy",
    ),
    # --- files opened as grids (amctl/data/sheets.py) -------------------------------------
    "data.no_sheets": ("工作簿中没有工作表", "the workbook has no sheets"),
    "data.no_sheet_named": (
        "没有名为 '{sheet}' 的工作表；工作簿中有：{sheets!l}",
        "no sheet named '{sheet}'; the workbook has: {sheets!l}",
    ),
    "data.sheet_unreadable": (
        "工作表 '{sheet}' 无法读取（{error}）；请在 Excel 中重新保存",
        "sheet '{sheet}' cannot be read ({error}); re-save it in Excel",
    ),
    "data.merged_fill": (
        "合并区域要填充的单元格比工作表本身还多",
        "the merged ranges fill more cells than the sheet has",
    ),
    "data.not_spreadsheet": (
        "'{suffix}' 不是 amctl 能读取的表格文件；请使用 .xlsx、.xls 或 .csv",
        "'{suffix}' is not a spreadsheet amctl reads; use .xlsx, .xls or .csv",
    ),
    "data.cannot_open": (
        "无法作为工作簿打开（{reason}）；如果它设有密码或已损坏，请在 Excel/WPS 中打开，"
        "另存一份普通的 .xlsx",
        "cannot open as a workbook ({reason}); if it is password-protected or damaged, "
        "open it in Excel/WPS and save a plain .xlsx copy",
    ),
    "data.encrypted": (
        "工作簿设有密码（已加密）；请在 Excel/WPS 中打开，去掉密码"
        "（文件 → 信息 → 保护工作簿）后重新保存",
        "the workbook is password-protected (encrypted); open it in Excel/WPS, "
        "remove the password (文件 → 信息 → 保护工作簿) and save it again",
    ),
    "data.file_not_found": ("找不到文件；请检查路径", "file not found; check the path"),
    "data.is_folder": ("这是文件夹，不是文件", "is a folder, not a file"),
    "data.parquet_unreadable": (
        "无法作为 parquet 读取（{error}）；请重新导出",
        "cannot read as parquet ({error}); write it again",
    ),
    "data.quote_closed_late": (
        "第 {line} 行：本行开始的引号直到第 {closed:,} 行才闭合，其后的 {lines:,} 行会被读成"
        "一个字段，这些行就丢了；请在本行闭合引号，或删除它",
        "line {line}: a quote opened on this line is closed only on line {closed:,}, so the "
        "{lines:,} lines after it would be read as one field and their rows lost; "
        "close the quote on this line, or remove it",
    ),
    "data.quote_never_closed": (
        "第 {line} 行：本行开始的引号一直没有闭合，其后的 {lines:,} 行会被读成一个字段，"
        "这些行就丢了；请在本行闭合引号，或删除它",
        "line {line}: a quote opened on this line is never closed, so the {lines:,} lines "
        "after it would be read as one field and their rows lost; "
        "close the quote on this line, or remove it",
    ),
    "data.quote_left_open": ("{path}：有引号未闭合", "{path}: a quote left open"),
    "data.csv_field_too_long": (
        "有字段超过 {limit:,} 个字符（csv 读取器的上限）",
        "a field of more than {limit:,} characters (a csv reader's limit)",
    ),
    "data.csv_unreadable": (
        "第 {line} 行：{problem}；花名册和业绩中没有这么长的值，多半是上面有引号没有闭合："
        "请检查那里的引号",
        "line {line}: {problem}; no roster or performance value is that long, so a quote "
        "is probably left open above it: check the quoting there",
    ),
    "data.csv_not_read": ("{path}：无法作为 csv 读取", "{path}: cannot be read as csv"),
    "data.not_utf8_gbk": (
        "文件既不是 UTF-8 文本也不是 GBK 文本；请另存为 CSV UTF-8",
        "the file is neither UTF-8 nor GBK text; save it as CSV UTF-8",
    ),
    # --- where the tables are (amctl/data/locate.py) --------------------------------------
    "data.no_such_sheet": (
        "{file}：没有工作表 '{sheet}'；它的工作表有 {sheets!l}",
        "{file}: no sheet '{sheet}'; its sheets are {sheets!l}",
    ),
    "data.no_such_sheet_csv": (
        "{file}：没有工作表 '{sheet}'；它是 csv 文件，没有工作表",
        "{file}: no sheet '{sheet}'; its sheets are none: it is a csv",
    ),
    "data.no_roster_sheet": (
        "{roster}：没有名为 {names} 的花名册工作表（现有工作表：{sheets!l}）；"
        "请重命名花名册工作表，或在政策的 sheets.roster 下添加它的名称",
        "{roster}: no roster sheet named {names} (sheets: {sheets!l}); rename the roster "
        "sheet or add its name under sheets.roster in the policy",
    ),
    "data.same_table_sheets": (
        "工作表 {sheets} 看起来是同一张表；请重命名或删除其中一个",
        "sheets {sheets} both look like the same table; rename or remove one",
    ),
    "data.table_not_found_in_workbook": (
        "找不到{table}：{roster} 中没有名为 {names} 的工作表，旁边也没有 {stem}.xlsx 或 .csv 文件",
        "no {table} table: {roster} has no sheet named {names} and there is no "
        "{stem}.xlsx or .csv beside it",
    ),
    "data.table_not_found": (
        "找不到{table}：旁边没有 {stem}.xlsx 或 .csv 文件",
        "no {table} table: there is no {stem}.xlsx or .csv beside it",
    ),
    "data.level_named": ("{label}（{level}）", "{level}"),
}
