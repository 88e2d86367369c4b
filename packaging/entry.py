"""The frozen app's entry point (the GuideCheck executable in the clinic package).

  GuideCheck                 the desktop app (guidecheck.gui.app.main; `--home DIR` works)
  GuideCheck --version       prints "GuideCheck <version>"
  GuideCheck --self-test     checks the installation end to end, one line per step (guidecheck.gui.selftest)
  GuideCheck --cli ARGS...   the `guidecheck` command line (e.g. `--cli assessment list`)

On Windows and macOS the executable is built windowed (no console pops up for nurses), so for the
text modes it attaches to the console of the shell that started it, when there is one.
"""

from __future__ import annotations

import sys


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


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
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
    if "--self-test" in args:
        _attach_console()
        from guidecheck.gui import selftest

        return selftest.run()
    from guidecheck.gui.app import main as gui_main

    return gui_main(args)


if __name__ == "__main__":
    sys.exit(main())
