"""amctl: account-manager grading and pay as code.

The library is the product; the `amctl` command parses options, makes one of these calls and
renders the result. A quarter, run once, is what every output of it is made from:

    import amctl
    q3 = amctl.run("hr-workspace", "2024Q3")     # policy, inputs, history, overrides → result
    q3.grading.managers, q3.payroll.grand_total, q3.findings
    amctl.record(q3)                              # close the quarter in the ledger
    amctl.show("hr-workspace", "2024Q3")          # a closed quarter, as it was recorded

Plain DataFrames, in a notebook:

    result = amctl.grade(roster, performance, ratings, period="2024Q3")
    result.managers[["name", "tier"]]

Names are imported on first use, so `import amctl` (and `amctl --help`) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    # errors
    "AmctlError": "amctl.errors",
    "DataError": "amctl.errors",
    "Finding": "amctl.errors",
    "Location": "amctl.errors",
    "PolicyError": "amctl.errors",
    "UsageError": "amctl.errors",
    # periods and policies
    "Period": "amctl.period",
    "LoadedPolicy": "amctl.policy.loader",
    "load_policy": "amctl.policy.loader",
    # the workspace
    "Workspace": "amctl.workspace.layout",
    "init_workspace": ("amctl.workspace.init", "init"),
    # a period, once
    "QuarterRun": "amctl.pipeline.run",
    "GradeResult": "amctl.pipeline.grade",
    "PayrollResult": "amctl.pipeline.payroll",
    "run": "amctl.pipeline.run",
    "Given": "amctl.pipeline.run",
    "show": "amctl.pipeline.run",
    "record": "amctl.pipeline.run",
    "close": "amctl.export.closing",
    "explain": "amctl.pipeline.explain",
    "history": "amctl.pipeline.explain",
    # DataFrames
    "grade": ("amctl.pipeline.frames", "grade_frames"),
    "pay": "amctl.pipeline.frames",
}

__all__ = [
    "AmctlError",
    "DataError",
    "Finding",
    "Given",
    "GradeResult",
    "LoadedPolicy",
    "Location",
    "PayrollResult",
    "Period",
    "PolicyError",
    "QuarterRun",
    "UsageError",
    "Workspace",
    "close",
    "explain",
    "grade",
    "history",
    "init_workspace",
    "load_policy",
    "pay",
    "record",
    "run",
    "show",
]
assert sorted(_EXPORTS) == __all__

if TYPE_CHECKING:
    from amctl.errors import AmctlError, DataError, Finding, Location, PolicyError, UsageError
    from amctl.export.closing import close
    from amctl.period import Period
    from amctl.pipeline.explain import explain, history
    from amctl.pipeline.frames import grade_frames as grade
    from amctl.pipeline.frames import pay
    from amctl.pipeline.grade import GradeResult
    from amctl.pipeline.payroll import PayrollResult
    from amctl.pipeline.run import Given, QuarterRun, record, run, show
    from amctl.policy.loader import LoadedPolicy, load_policy
    from amctl.workspace.init import init as init_workspace
    from amctl.workspace.layout import Workspace


def __getattr__(name: str) -> Any:
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'amctl' has no attribute {name!r}")
    module, attr = target if isinstance(target, tuple) else (target, name)
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return [*__all__, "__version__"]
