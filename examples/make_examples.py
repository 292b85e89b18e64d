"""Regenerate examples/data/QUARTER/roster.xlsx from amctl's sample team (same bytes each run).

Run from the repository root: `python examples/make_examples.py`. 2024Q3 is the main example;
2024Q4 and 2025Q1 follow the same team so the ledger's dynamic rules can be seen at work.
"""

from pathlib import Path

from amctl.workspace.sample import QUARTERS, build

if __name__ == "__main__":
    for quarter in QUARTERS:
        out = Path(__file__).parent / "data" / quarter / "roster.xlsx"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(build(quarter))
        print(f"wrote {out}")
