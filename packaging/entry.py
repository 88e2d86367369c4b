"""The frozen app's entry point (the GuideCheck executable in the clinic package).

  GuideCheck                 the desktop app (guidecheck.gui.app.main; `--home DIR` works)
  GuideCheck --version       prints "GuideCheck <version>"
  GuideCheck --self-test     checks the installation end to end, one line per step (guidecheck.gui.selftest)
  GuideCheck --cli ARGS...   the `guidecheck` command line (e.g. `--cli assessment list`)

On Windows and macOS the executable is built windowed (no console pops up for nurses). A windowed
program cannot serve a command prompt well (cmd and PowerShell do not wait for it and %ERRORLEVEL%
says nothing), so the Windows package also holds `guidecheck-cli.exe`, the same program built as a
console executable: `guidecheck-cli assessment list`, `guidecheck-cli --self-test`. (It cannot be
called `guidecheck.exe`: Windows file names ignore case, so that is the same name as
`GuideCheck.exe`.) The windowed executable still attaches to a parent console for `--cli`.
"""

from __future__ import annotations

import sys
from pathlib import Path

CONSOLE_NAME = "guidecheck-cli"  # the console executable's name (without .exe)


def _attach_console() -> None:
    """Windows windowed builds have no stdout: borrow the parent shell's console for text output."""
    if sys.platform != "win32" or sys.stdout is not None:
        return
    import ctypes

    attach_parent_process = -1
    if ctypes.windll.kernel32.AttachConsole(attach_parent_process):  # type: ignore[attr-defined]
        sys.stdout = open("CONOUT$", "w", encoding="utf-8", errors="replace")
        sys.stderr = sys.stdout
    else:  # started from Explorer: nowhere to print; keep print() from failing
        import io

        sys.stdout = sys.stderr = io.StringIO()


def is_console_build() -> bool:
    """True in `guidecheck-cli(.exe)`: the command line is its default, not the window."""
    return bool(getattr(sys, "frozen", False)) and Path(sys.executable).stem.lower() == CONSOLE_NAME


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if is_console_build() and args[:1] not in (
        ["--self-test"],
        ["--self-test-platform"],
        ["--cli"],
    ):
        args = ["--cli", *args]  # `guidecheck-cli assessment list`, `guidecheck-cli --version`
    if args[:1] == ["--cli"]:
        _attach_console()
        from guidecheck.cli.main import main as cli_main

        try:
            return cli_main(args[1:])
        except SystemExit as done:  # argparse's --help and usage errors
            return done.code if isinstance(done.code, int) else (0 if done.code is None else 2)
    if "--version" in args:
        _attach_console()
        from guidecheck import __version__

        print(f"GuideCheck {__version__}")
        return 0
    if args[:1] == ["--self-test-platform"]:  # the self-test's second process: a real window
        from guidecheck.gui import selftest

        return selftest.platform_check()
    if "--self-test" in args:
        _attach_console()
        from guidecheck.gui import selftest

        return selftest.run()
    from guidecheck.gui.app import main as gui_main

    return gui_main(args)


if __name__ == "__main__":
    sys.exit(main())
