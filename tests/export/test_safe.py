"""Writing outputs safely: a full disk, a file that appears meanwhile, a kill mid-write — each
ends in a message (or the signal's exit), never in a traceback or a stray temporary file."""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amctl.export.safe import OutputExists, atomic_write
from tests.helpers import EXAMPLE, REPO


def _small_disk() -> None:  # in the child: files may not grow past 20 KB, as on a full disk
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


@pytest.mark.parametrize("name", ["g.xlsx", "g.csv", "g.json", "g.png", "r.html"])
def test_a_full_disk_ends_in_a_message_and_leaves_nothing(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    if name.endswith(".html"):
        args = ["report", "--quarter", "2024Q3", "-w", str(REPO / "examples"), "-o", str(out)]
    else:
        args = ["grade", str(EXAMPLE), "-o", str(out)]
    done = subprocess.run(
        [sys.executable, "-m", "amctl", "--quiet", *args],
        preexec_fn=_small_disk,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert f"{name}: cannot write (File too large); check space and permissions" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_output_that_appears_meanwhile_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "g.csv"

    def write(tmp: Path) -> None:
        tmp.write_text("ours", encoding="utf-8")
        out.write_text("theirs", encoding="utf-8")  # another program, while amctl writes

    with pytest.raises(OutputExists, match="appeared while amctl was writing it"):
        atomic_write(out, write, replace=False)
    assert out.read_text(encoding="utf-8") == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["g.csv"]
    atomic_write(out, lambda tmp: tmp.write_text("ours", encoding="utf-8"))  # --force
    assert out.read_text(encoding="utf-8") == "ours"


KILLED = """
import os, signal, sys
from pathlib import Path
from amctl.cli.app import stop_cleanly
from amctl.export.safe import atomic_write
stop_cleanly()
def write(tmp):
    tmp.write_text("half a workbook", encoding="utf-8")
    os.kill(os.getpid(), signal.SIGTERM)
atomic_write(Path(sys.argv[1]) / "g.xlsx", write)
"""


def test_a_kill_mid_write_removes_the_temporary_file(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILLED, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert list(tmp_path.iterdir()) == []


@given(
    st.lists(st.none() | st.text(alphabet=',"\r\na 中，é', max_size=6), max_size=12),
    st.booleans(),
    st.booleans(),
)
def test_the_rows_holding_a_character_are_those_python_finds(
    rows: list[str | None], large: bool, sliced: bool
) -> None:
    """What the csv quotes: the rows holding a comma, a quote or a line end; None when none
    does. Sliced columns (a batch of rows) and both offset widths alike."""
    import pyarrow as pa

    from amctl.export.safe import held, rows_with

    texts = pa.array(rows, pa.large_string() if large else pa.string())
    if sliced and len(rows) > 2:
        texts, rows = texts.slice(1, len(rows) - 2), rows[1:-1]
    for chars in (',"\r\n', '"'):
        want = [r is not None and any(c in r for c in chars) for r in rows]
        present = held(texts, chars)
        got = rows_with(texts, present) if present else None
        assert (got is None) == (not any(want))
        if got is not None:
            assert got.tolist() == want
