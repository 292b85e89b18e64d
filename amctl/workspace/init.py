"""`amctl init`: a new workspace an HR team can put in git and use the next quarter."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from amctl.errors import UsageError
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

```
policies/ct-group.yaml        分级与薪酬规则（改动走评审）/ the rules, changed by review
policies/ct-group.test.yaml   规则的黄金用例 / golden cases the rules must keep
data/{quarter}/roster.xlsx    本季度花名册、业绩、能力评价（三个工作表）/ this quarter's inputs
```

每季度 / Every quarter:

1. 新建 `data/2024Q4/`，放入花名册（含 业绩、能力评价 两个工作表，或放在同目录的单独文件）。
   Make `data/2024Q4/` and put the roster workbook there (with the 业绩 and 能力评价 sheets,
   or as separate files beside it).
2. `amctl grade data/2024Q4/roster.xlsx -o out/grading-2024Q4.xlsx` — 分级 / grading.
3. `amctl payroll --quarter 2024Q4 -o out/payroll-2024Q4.xlsx` — 薪酬 / pay.
4. `amctl report --quarter 2024Q4 -o out/report-2024Q4.html` — 校准会报告 / the meeting's report.

改规则 / Changing the rules: edit `policies/ct-group.yaml`, then
`amctl policy check policies/` and `amctl policy test`, and see what it does to people with
`amctl policy diff HEAD:policies/ct-group.yaml policies/ct-group.yaml --quarter 2024Q4`.
"""


def init(folder: Path) -> list[Path]:
    """Write the workspace; refuse a folder that already holds something."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder}: already exists and is not empty; choose a new folder")
    bundled = resources.files("amctl") / "policies"
    files = {
        "policies/ct-group.yaml": (bundled / "ct-group.yaml").read_bytes(),
        "policies/ct-group.test.yaml": (bundled / "ct-group.test.yaml").read_bytes(),
        f"data/{sample.QUARTER}/roster.xlsx": sample.build(),
        ".gitignore": GITIGNORE.encode(),
        ".pre-commit-config.yaml": PRE_COMMIT.encode(),
        "README.md": README.format(quarter=sample.QUARTER).encode(),
    }
    written = []
    for name, body in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        written.append(path)
    return written
