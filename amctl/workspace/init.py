"""`amctl init`: a new workspace an HR team can put in git and use the next quarter."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from amctl.errors import UsageError
from amctl.messages import said
from amctl.workspace import sample

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


def init(folder: Path) -> list[Path]:
    """Write the workspace; refuse a folder that already holds something."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(said("workspace.not_empty", folder=str(folder)))
    bundled = resources.files("amctl") / "policies"
    files = {
        "policies/ct-group.yaml": (bundled / "ct-group.yaml").read_bytes(),
        "policies/ct-group.test.yaml": (bundled / "ct-group.test.yaml").read_bytes(),
        f"data/{sample.QUARTER}/roster.xlsx": sample.build(),
        ".gitignore": GITIGNORE.encode(),
        ".pre-commit-config.yaml": PRE_COMMIT.encode(),
        "overrides/README.md": OVERRIDES.format(quarter=sample.QUARTER).encode(),
        "README.md": README.format(quarter=sample.QUARTER, employee=sample.FIRST_ID).encode(),
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
