"""Regenerate the example workbooks from amctl's sample teams (same bytes each run).

Run from the repository root: `python examples/make_examples.py`.

- examples/data/QUARTER/roster.xlsx: the ct-group team. 2024Q3 is the main example; 2024Q4 and
  2025Q1 follow the same team so the ledger's dynamic rules can be seen at work.
- examples/jinzhong/: seed 004's Jinzhong team under the bundled jinzhong-tobacco policy (copied
  into policies/ with its golden cases) and a year of data: data/2024-01 … 2024-12, 2024Q1 …
  2024Q4, 2024H1, 2024H2 and 2024.
"""

from pathlib import Path

from amctl.workspace import sample, sample_jinzhong
from amctl.workspace.policies import bundled

HERE = Path(__file__).parent


def write(path: Path, body: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    print(f"wrote {path}")


if __name__ == "__main__":
    for quarter in sample.QUARTERS:
        write(HERE / "data" / quarter / "roster.xlsx", sample.build(quarter))
    jinzhong = HERE / "jinzhong"
    rules = bundled("jinzhong-tobacco")
    for source in (rules, rules.with_name("jinzhong-tobacco.test.yaml")):
        write(jinzhong / "policies" / source.name, source.read_bytes())
    for period in sample_jinzhong.periods():
        write(jinzhong / "data" / period / "roster.xlsx", sample_jinzhong.build(period))
