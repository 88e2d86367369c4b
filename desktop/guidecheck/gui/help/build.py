"""Copy the user guide into the package and its steps into the README: one source, three places.

`docs/user-guide.md` is the source. The package gets it as `gui/help/user-guide.md` with the
screenshots it shows (so Help › User guide works offline, from a packaged app too), and the
README's step-by-step section (between the `guide:steps` markers) is the same text with image
paths seen from the repository root. Run by `make screenshots` after the pictures are made;
the test suite checks the three never drift apart.

    python -m guidecheck.gui.help.build REPO_ROOT
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

START, END = "<!-- guide:steps:start -->", "<!-- guide:steps:end -->"
HELP = Path(__file__).resolve().parent
IMAGE = re.compile(r"!\[[^\]]*\]\(screenshots/([^)\s]+)\)")


def steps(text: str) -> str:
    """The marked step-by-step section of a guide or README (markers included)."""
    start, end = text.index(START), text.index(END) + len(END)
    return text[start:end]


def readme_steps(guide_text: str) -> str:
    """The guide's steps as the README shows them (images under docs/)."""
    return steps(guide_text).replace("](screenshots/", "](docs/screenshots/")


def build(root: Path, help_dir: Path = HELP) -> list[Path]:
    source = (root / "docs" / "user-guide.md").read_text("utf-8")
    written = []
    pictures = help_dir / "screenshots"
    pictures.mkdir(parents=True, exist_ok=True)
    for name in sorted(set(IMAGE.findall(source))):
        shutil.copyfile(root / "docs" / "screenshots" / name, pictures / name)
        written.append(pictures / name)
    (help_dir / "user-guide.md").write_text(source, "utf-8")
    written.append(help_dir / "user-guide.md")
    readme = root / "README.md"
    text = readme.read_text("utf-8")
    updated = text.replace(steps(text), readme_steps(source))
    if updated != text:
        readme.write_text(updated, "utf-8")
        written.append(readme)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path.cwd()
    for path in build(root):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
