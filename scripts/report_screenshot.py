"""The README's picture of the report: the example quarter's report, rendered by headless
Chromium at a desk's width. Run it after a change to the report; it is not part of CI.

    python scripts/report_screenshot.py   # writes docs/report.png

Needs Debian's chromium and a Chinese font (apt install chromium fonts-noto-cjk).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "report.png"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def main() -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("needs chromium: apt install chromium fonts-noto-cjk")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "amctl",
                "report",
                "--quarter",
                "2024Q3",
                "-w",
                str(ROOT / "examples"),
                "-o",
                str(page),
            ],
            check=True,
        )
        subprocess.run(
            [
                browser,
                *FLAGS,
                f"--user-data-dir={Path(tmp) / 'profile'}",
                "--window-size=1200,1500",
                f"--screenshot={OUT}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
