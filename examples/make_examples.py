"""Regenerate examples/data/2024Q3/roster.xlsx from amctl's sample team (same bytes each run).

Run from the repository root: `python examples/make_examples.py`.
"""

from pathlib import Path

from amctl.sample import QUARTER, build

OUT = Path(__file__).parent / "data" / QUARTER / "roster.xlsx"

if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(build())
    print(f"wrote {OUT}")
