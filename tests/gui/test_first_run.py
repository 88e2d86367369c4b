"""First run on a fresh Linux desktop: `make run` names every missing Qt platform library and the
one command that installs them, instead of Qt's message about a single library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from guidecheck.gui.shell.platform_check import (
    XCB_LIBRARIES,
    advice,
    installed,
    missing_libraries,
    needs_xcb,
)

ROOT = Path(__file__).resolve().parents[2]


def test_libraries_are_found_where_the_loader_looks(tmp_path):
    assert installed("libxcb-icccm.so.4", cache=b"\0libxcb-icccm.so.4\0", environ={})
    assert not installed("libnot-a-library.so.9", cache=b"", environ={})
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "libonly-here.so.1").write_bytes(b"")
    assert installed("libonly-here.so.1", cache=b"", environ={"LD_LIBRARY_PATH": str(folder)})


def test_a_desktop_missing_two_libraries_gets_one_install_command():
    hidden = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}  # what a fresh Debian desktop lacks
    missing = missing_libraries(lambda soname: soname not in hidden)
    assert missing == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    text = advice(missing, has_apt=True)
    assert "    sudo apt install libxcb-icccm4 libxcb-keysyms1\n" in text
    assert "libxcb-cursor0" not in text  # not Qt's misleading single name
    assert "libxcb-icccm.so.4" in advice(missing, has_apt=False)
    assert set(XCB_LIBRARIES.values()) >= {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1"}


def test_only_a_linux_x11_start_is_checked():
    assert needs_xcb({}, "linux")
    assert needs_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not needs_xcb({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not needs_xcb({}, "win32")


def test_make_run_checks_first_and_this_machine_passes():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert run.index("guidecheck.gui.shell.platform_check") < run.index("guidecheck-app")
    done = subprocess.run(
        [sys.executable, "-m", "guidecheck.gui.shell.platform_check"],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == (3 if missing_libraries() else 0), done.stderr
