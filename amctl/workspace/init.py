"""`amctl init`: a new workspace an HR team can put in git and use the next period, started
from one of the bundled policies and its sample data."""

from __future__ import annotations

from pathlib import Path

from amctl.errors import UsageError
from amctl.messages import said
from amctl.workspace import sample, sample_jinzhong
from amctl.workspace.policies import DEFAULT, bundled, bundled_names

GITIGNORE = """\
# outputs: written by amctl, re-creatable from the inputs and the policy
out/
*.tmp
~$*
"""

PRE_COMMIT = """\
# Checks run before every commit (pip install pre-commit && pre-commit install).
repos:
  - repo: local
    hooks:
      - id: amctl-policy-check
        name: amctl policy check
        entry: amctl policy check
        language: system
        files: ^policies/.*\\.ya?ml$
        exclude: \\.test\\.yaml$
      - id: amctl-policy-fmt
        name: amctl policy fmt
        entry: amctl policy fmt
        language: system
        files: ^policies/.*\\.ya?ml$
        exclude: \\.test\\.yaml$
      - id: amctl-policy-test
        name: amctl policy test
        entry: amctl policy test policies/
        language: system
        pass_filenames: false
        files: ^policies/
"""

README = """\
# 客户经理分级与薪酬工作区 · Account-manager workspace

本目录由 `amctl init` 创建，交给 git 管理。/ Created by `amctl init`; keep it in git.

```text
policies/ct-group.yaml       分级与薪酬规则（改动走评审）/ the rules, changed by review
policies/ct-group.test.yaml  规则的黄金用例 / golden cases the rules must keep
data/{quarter}/roster.xlsx   本季度花名册、业绩、能力评价 / the quarter's workbooks
overrides/{quarter}.yaml     校准会调整（可选）/ calibration moves (optional)
out/{quarter}/               amctl close 的输出 / what amctl close writes
.amctl/ledger.sqlite         已结算季度的台账 / the ledger of closed quarters
```

## 每季度 / Every quarter

1. 把本季度的工作簿放进 `data/季度/`（花名册，含 业绩、能力评价 两个工作表，或同目录的单独文件）。
   Put the quarter's workbooks in `data/QUARTER/` (the roster, with the 业绩 and 能力评价
   sheets, or as separate files beside it). The sample quarter {quarter} is already there.

2. 先看结果（不记账）/ Look before closing (nothing is recorded):

   ```sh
   amctl grade data/{quarter}/roster.xlsx
   amctl payroll --quarter {quarter}
   ```

3. 结算：分级、计薪、记入台账，并把分级表、薪酬表和校准会报告写入 `out/{quarter}/`。
   Close it: grade, pay, record in the ledger, and write the grading workbook, the payroll
   workbook and the meeting's report into `out/{quarter}/`. The next quarter's dynamic rules
   (promotion, the improvement period) read the tiers recorded here, so close every quarter:

   ```sh
   amctl close {quarter}
   ```

4. 查询 / Ask about it. A closed quarter is shown as it was recorded:

   ```sh
   amctl explain {employee} --quarter {quarter}
   amctl history {employee}
   amctl ledger list
   amctl report --quarter {quarter} -o out/{quarter}/report-again.html
   ```

   已结算的季度如需更正，重新结算并说明原因 / To correct a closed quarter, close it again
   with a reason, which the audit trail keeps (`amctl ledger audit`):
   `amctl close {quarter} --replace --reason "..."`.

## 改规则 / Changing the rules

Edit `policies/ct-group.yaml`, then check it and its golden cases:

```sh
amctl policy check policies/
amctl policy test
```

and, once it is committed in git, see what a change does to people before merging:
`amctl policy diff HEAD:policies/ct-group.yaml policies/ct-group.yaml --quarter {quarter}`.
"""


OVERRIDES = """\
# 校准会调整 · Calibration overrides

校准会决定的个别调整，每季度一个文件 `{quarter}.yaml`，与规则一样走评审。
The calibration meeting's moves, one file a quarter (`{quarter}.yaml`), reviewed like the rules.
Grading applies them, says so in each manager's reasons and in `amctl explain`, and reports a
cap or an eligibility gate they break.

```yaml
apiVersion: amctl/v1
kind: Overrides
quarter: {quarter}
moves:
  - employee_id: KM0001
    tier: mid-B
    authorised_by: 张主任
    reason_code: CAL-02
    comment: 客户投诉待核实
```
"""


JINZHONG_README = """\
# 客户经理管理工作区（晋中烟草模式）· Account-manager workspace, Jinzhong tobacco

本目录由 `amctl init --policy jinzhong-tobacco` 创建，交给 git 管理。
Created by `amctl init --policy jinzhong-tobacco`; keep it in git.

```text
policies/jinzhong-tobacco.yaml       分级与薪酬规则（改动走评审）/ the rules, changed by review
policies/jinzhong-tobacco.test.yaml  规则的黄金用例 / golden cases the rules must keep
data/2024-01/roster.xlsx …           每月：花名册、业绩 / each month: roster, performance
data/2024Q1/, 2024H1/, 2024/         季度、半年、年度考评：另有能力评价 / reviews: ratings too
overrides/{{period}}.yaml              校准调整：县局提出，市局批准 / calibration moves
out/{{period}}/                        amctl close 的输出 / what amctl close writes
.amctl/ledger.sqlite                 已结算期间的台账 / the ledger of closed periods
```

## 考评日历 / The review calendar

| 期间 / period | 考评 / review | 可调整 / may move | 读取 / reads |
|---|---|---|---|
| 每月 / month `2024-01` | 月度营销目标考评 | —（发当月工资 / pays the month） | 花名册、业绩 |
| 每季 / quarter `2024Q1` | 季度综合业绩考评 | 档次 / band | 另有能力评价 / + ratings |
| 半年 / half `2024H1` | 半年技能等级考评 | —（技能考试 / exam） | 另有能力评价 / + ratings |
| 每年 / year `2024` | 年度综合等级评定 | 等级和档次 / level, band | 另有能力评价 / + ratings |

## 示例年份 / The example year

`data/` 是 2024 年全年：71 名客户经理，年初 6 高级、36 中级、18 初级、11 见习——中级 36/71
超过 50% 的上限，花名册检查会指出。/ `data/` holds 2024 for 71 managers; at the start of the
year 36 of them are mid, over the 50 % cap, which the roster check reports:

```sh
amctl roster check data/{first}/roster.xlsx
```

按日历顺序逐期结算，每次考评放在它覆盖的月份之后。/ Close the periods in calendar order,
each review after the months it covers:

```sh
amctl close {first}
amctl history {employee}
amctl ledger list
```

```text
2024-01 2024-02 2024-03 2024Q1 2024-04 2024-05 2024-06 2024Q2 2024H1
2024-07 2024-08 2024-09 2024Q3 2024-10 2024-11 2024-12 2024Q4 2024H2 2024
```

## 改规则 / Changing the rules

Edit `policies/jinzhong-tobacco.yaml`, then check it and its golden cases:

```sh
amctl policy check policies/
amctl policy test
```
"""

JINZHONG_OVERRIDES = """\
# 校准调整 · Calibration overrides

经县市两级讨论确定的个别调整，每期一个文件 `{{period}}.yaml`，与规则一样走评审。县局提出
（proposed_by、proposed_at），市局批准（approved_by、approved_on）：政策要求每条调整都有批准。
Moves agreed by the county and the city, one file a period, reviewed like the rules. The
county proposes (proposed_by, proposed_at), the city approves (approved_by, approved_on): the
policy requires both.

```yaml
apiVersion: amctl/v1
kind: Overrides
quarter: 2024Q1
moves:
  - employee_id: {employee}
    tier: mid-A
    proposed_by: 榆次区营销部
    proposed_at: 县局
    approved_by: 市局考评组
    approved_on: 2024-04-08
    reason_code: CAL-01
    comment: 县级督察组复核后调档
```
"""


Sample = tuple[dict[str, bytes], str, str]  # the data folders, overrides/README.md, README.md


def _ct_group() -> Sample:
    data = {f"data/{sample.QUARTER}/roster.xlsx": sample.build()}
    overrides = OVERRIDES.format(quarter=sample.QUARTER)
    return data, overrides, README.format(quarter=sample.QUARTER, employee=sample.FIRST_ID)


def _jinzhong() -> Sample:
    data = {
        f"data/{period}/roster.xlsx": sample_jinzhong.build(period)
        for period in sample_jinzhong.periods()
    }
    first, employee = sample_jinzhong.FIRST_MONTH, sample_jinzhong.FIRST_ID
    overrides = JINZHONG_OVERRIDES.format(employee=employee)
    return data, overrides, JINZHONG_README.format(first=first, employee=employee)


SAMPLES = {"ct-group": _ct_group, "jinzhong-tobacco": _jinzhong}
FIRST_PERIOD = {"ct-group": sample.QUARTER, "jinzhong-tobacco": sample_jinzhong.FIRST_MONTH}


def init(folder: Path, policy: str = DEFAULT) -> list[Path]:
    """Write the workspace for a bundled policy; refuse a folder that already holds something."""
    if policy not in SAMPLES or policy not in bundled_names():
        names = [n for n in bundled_names() if n in SAMPLES]
        raise UsageError(said("workspace.no_bundled_policy", name=policy, names=names))
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(said("workspace.not_empty", folder=str(folder)))
    rules = bundled(policy)
    data, overrides, readme = SAMPLES[policy]()
    files = {
        f"policies/{policy}.yaml": rules.read_bytes(),
        f"policies/{policy}.test.yaml": rules.with_name(f"{policy}.test.yaml").read_bytes(),
        **data,
        ".gitignore": GITIGNORE.encode(),
        ".pre-commit-config.yaml": PRE_COMMIT.encode(),
        "overrides/README.md": overrides.encode(),
        "README.md": readme.encode(),
    }
    written = []
    for name, body in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        written.append(path)
    (folder / "out").mkdir(exist_ok=True)  # the README's commands write here
    written.append(folder / "out")
    return written
