"""Offline guarantee: the whole flow runs with the network switched off, and nothing tries to use it.

Static part: no module of the application imports a network library, and none calls eval/exec
(checked on the syntax tree, so comments and strings do not count). Run-time part: the CLI
(create, show, reports, keys, bundle export/verify/import, audit), the store and the Qt app driven
offscreen all run under `netguard.no_network`, which fails the test on any attempt.
"""

from __future__ import annotations

import ast
import json
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from guikit import export_from_window, open_main_window
from netguard import NetworkAttempt, no_network
from proofkit import TALLY, cli_env, make_profile

import guidecheck
from guidecheck.cli.main import main
from guidecheck.storage.store import Store

PACKAGE = Path(guidecheck.__file__).resolve().parent
NETWORK_MODULES = {
    "socket",
    "ssl",
    "urllib.request",
    "urllib3",
    "http.client",
    "http.server",
    "requests",
    "httpx",
    "aiohttp",
    "ftplib",
    "smtplib",
    "poplib",
    "imaplib",
    "telnetlib",
    "xmlrpc.client",
    "xmlrpc.server",
    "socketserver",
    "webbrowser",
    "websocket",
    "websockets",
    "PySide6.QtNetwork",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "asyncio",
}
CALLS_REFUSED = {"eval", "exec", "compile", "__import__", "execfile", "breakpoint"}


def _sources() -> list[Path]:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 30  # the whole application, not an empty folder
    return files


def _imported(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _network_imports(tree: ast.AST) -> list[str]:
    bad = []
    for line, name in _imported(tree):
        if any(name == m or name.startswith(m + ".") for m in NETWORK_MODULES):
            bad.append(f"line {line}: {name}")
    return bad


def _dangerous_calls(tree: ast.AST) -> list[str]:
    """eval/exec/compile/__import__ as the builtins (Qt's `dialog.exec()` is a method, not these)."""
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in CALLS_REFUSED:
                bad.append(f"line {node.lineno}: {func.id}()")
            elif (
                isinstance(func, ast.Attribute)
                and getattr(func.value, "id", "") == "builtins"
                and func.attr in CALLS_REFUSED
            ):
                bad.append(f"line {node.lineno}: builtins.{func.attr}()")
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            if name == "import_module" and not _literal_or_fstring_of_package(node):
                bad.append(f"line {node.lineno}: dynamic import")
        elif isinstance(node, ast.Name) and node.id in {"eval", "exec"}:
            bad.append(f"line {node.lineno}: reference to {node.id}")
    return bad


def _literal_or_fstring_of_package(call: ast.Call) -> bool:
    """importlib.import_module("guidecheck.x") or f"guidecheck.cli.{name}" only: our own modules."""
    if not call.args:
        return False
    arg = call.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value.startswith("guidecheck.")
    if isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
        return str(arg.values[0].value).startswith("guidecheck.")
    return False


def _lines(found: list[str]) -> set[int]:
    return {int(entry.split(":")[0].removeprefix("line ")) for entry in found}


def test_the_static_checks_can_fail() -> None:
    """The checkers themselves find what they look for (so a pass below means something)."""
    sample = ast.parse(
        "import socket\nfrom urllib.request import urlopen\nfrom http import client\n"
        "import PySide6.QtNetwork\nx = eval('1')\nexec('y = 2')\nf = eval\n"
        "import importlib\nimportlib.import_module(name)\n"
    )
    assert {entry.split(":")[0] for entry in _network_imports(sample)} == {
        "line 1",
        "line 2",
        "line 3",
        "line 4",
    }
    assert _lines(_dangerous_calls(sample)) == {5, 6, 7, 9}
    sample = ast.parse(
        "import builtins\nbuiltins.exec('x')\n__import__('os')\ncompile('1', 'f', 'eval')\n"
    )
    assert _lines(_dangerous_calls(sample)) == {2, 3, 4}
    harmless = (
        "import re\nre.compile('x')\napp.exec()\nimportlib.import_module(f'guidecheck.cli.{n}')\n"
    )
    assert _dangerous_calls(ast.parse(harmless)) == []


def test_no_module_imports_a_network_library() -> None:
    problems = {}
    for path in _sources():
        bad = _network_imports(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        if bad:
            problems[str(path.relative_to(PACKAGE))] = bad
    assert problems == {}


def test_no_module_evaluates_or_executes_code() -> None:
    problems = {}
    for path in _sources():
        bad = _dangerous_calls(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        if bad:
            problems[str(path.relative_to(PACKAGE))] = bad
    assert problems == {}


PROGRAM_LAUNCHERS = {"subprocess", "ctypes", "PySide6.QtCore.QProcess", "multiprocessing", "pty"}
LAUNCH_CALLS = {
    "system",
    "popen",
    "execv",
    "execve",
    "execvp",
    "execl",
    "execlp",
    "spawnv",
    "spawnl",
    "startfile",
}


def _launches_or_opens(tree: ast.AST) -> list[str]:
    """Ways out of the process: program launchers, and URLs opened that are not local files."""
    bad = [
        f"line {line}: {name}"
        for line, name in _imported(tree)
        if any(name == m or name.startswith(m + ".") for m in PROGRAM_LAUNCHERS)
    ]
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = getattr(node.func.value, "id", "")
        if owner == "os" and node.func.attr in LAUNCH_CALLS:
            bad.append(f"line {node.lineno}: os.{node.func.attr}()")
        if node.func.attr == "openUrl":
            arg = node.args[0] if node.args else None
            local = (
                isinstance(arg, ast.Call)
                and isinstance(arg.func, ast.Attribute)
                and arg.func.attr == "fromLocalFile"
            )
            if not local:
                bad.append(f"line {node.lineno}: openUrl of something other than a local file")
        if node.func.attr == "setOpenExternalLinks" and not (
            node.args and getattr(node.args[0], "value", True) is False
        ):
            bad.append(f"line {node.lineno}: a label that opens web links")
    return bad


def test_no_module_launches_programs_or_opens_web_links() -> None:
    sample = ast.parse(
        "import subprocess\nfrom ctypes import CDLL\nos.system('curl x')\n"
        "QDesktopServices.openUrl(QUrl('https://example.org'))\nlabel.setOpenExternalLinks(True)\n"
        "QDesktopServices.openUrl(QUrl.fromLocalFile(path))\n"
    )
    assert _lines(_launches_or_opens(sample)) == {1, 2, 3, 4, 5}
    problems = {}
    for path in _sources():
        name = path.relative_to(PACKAGE).as_posix()
        bad = [
            found
            for found in _launches_or_opens(ast.parse(path.read_text(encoding="utf-8"), str(path)))
            if found.split(": ", 1)[1] not in ALLOWED_LAUNCHERS.get(name, ())
        ]
        if bad:
            problems[name] = bad
    assert problems == {}


# The only ways out of the process that are allowed, each for one reason, in one file: the
# self-test starts this same installation again to open a window on the real screen, and the
# drive list asks Windows whether a drive is removable (GetDriveTypeW). Neither reaches a network.
ALLOWED_LAUNCHERS = {"gui/selftest.py": ("subprocess",), "gui/sync/drives.py": ("ctypes",)}


def test_the_guard_catches_every_kind_of_attempt(monkeypatch) -> None:
    """Only loopback addresses are used here, so even a broken guard would send nothing outside."""
    with no_network(monkeypatch) as attempts:
        for attempt in (
            lambda: socket.create_connection(("127.0.0.1", 9), timeout=1),
            lambda: socket.getaddrinfo("localhost", 9),
            lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(("127.0.0.1", 9)),
            lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", 9)),
            lambda: urllib.request.urlopen("http://127.0.0.1:9/", timeout=1),
        ):
            with pytest.raises(OSError):
                attempt()
    assert len(attempts) >= 5
    assert any("create_connection" in a for a in attempts) and any("sendto" in a for a in attempts)
    with pytest.raises(NetworkAttempt):
        with no_network(monkeypatch):
            socket.socket(socket.AF_INET6, socket.SOCK_STREAM).connect_ex(("::1", 9))


def _cli(capsys, *argv: object) -> str:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert code == 0, (argv, captured.err)
    return captured.out


def _answers_file(tmp_path: Path, who) -> Path:
    answers = {}
    for item in who.items:
        if item.condition:
            continue
        if item.type == "compliance":
            answers[item.id] = {"value": "yes", "note": "seen"}
        elif item.type == "single_choice":
            answers[item.id] = item.choices[0].id
        if len(answers) >= 12:
            break
    profile = make_profile().as_dict() | {"phase": "routine"}  # the shipped checklist is format 2
    data = {"questionnaire": who.id, "profile": profile, "answers": answers}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_cli_store_reports_and_bundles_run_offline(
    monkeypatch, capsys, tmp_path: Path, shipped_who
) -> None:
    who = shipped_who
    clinic, hub, stick = tmp_path / "clinic", tmp_path / "hub", tmp_path / "stick"
    stick.mkdir()
    source = _answers_file(tmp_path, who)
    with no_network(monkeypatch) as attempts:
        assessment_id = _cli(
            capsys, "--home", clinic, "assessment", "new", "--from", source
        ).strip()
        assert "facility_name" in _cli(
            capsys, "--home", clinic, "assessment", "show", assessment_id, "--json"
        )
        assert "who-ai-health-2025" in _cli(capsys, "--home", clinic, "questionnaires", "list")
        with Store(clinic / "guidecheck.db") as store:
            item = next(i for i in who.items if i.type == "compliance" and not i.condition)
            store.save_answer(assessment_id, item.id, "partly", note="offline edit")
            assert store.answers(assessment_id)[item.id].value == "partly"
        out = _cli(
            capsys,
            "--home",
            clinic,
            "report",
            assessment_id,
            "--pdf",
            tmp_path / "r.pdf",
            "--xlsx",
            tmp_path / "r.xlsx",
        )
        assert (tmp_path / "r.pdf").stat().st_size > 1000 and (
            tmp_path / "r.xlsx"
        ).stat().st_size > 1000, out
        _cli(
            capsys,
            "--home",
            hub,
            "keys",
            "district-init",
            "--out",
            tmp_path / "district.gckey",
            "--name",
            "Kisumu",
        )
        _cli(capsys, "--home", clinic, "keys", "install-district", tmp_path / "district.gckey")
        bundle = _cli(capsys, "--home", clinic, "bundle", "export", "--out", stick).strip()
        assert "decrypted and checked" in _cli(capsys, "--home", hub, "bundle", "verify", bundle)
        assert ": held: " in _cli(capsys, "--home", hub, "bundle", "import", bundle)
        shown = json.loads(_cli(capsys, "--home", clinic, "keys", "show", "--json"))
        approve = ["device", "approve", shown["device_id"], "--facility", "KE-0101"]
        assert "1 new" in _cli(capsys, "--home", hub, *approve, "--code", shown["enrol_code"])
        assert "facilities" in _cli(capsys, "--home", hub, "district", "summary")
        _cli(
            capsys,
            "--home",
            hub,
            "district",
            "report",
            "--pdf",
            tmp_path / "d.pdf",
            "--xlsx",
            tmp_path / "d.xlsx",
        )
        assert (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF")
        assert "OK" in _cli(capsys, "--home", hub, "audit", "verify")
        assert "OK" in _cli(capsys, "--home", clinic, "audit", "verify")
    assert attempts == []


def test_desktop_app_runs_offline(monkeypatch, qtbot, tmp_path: Path, who) -> None:
    """The real main window, offscreen: home list, open, answer, review, summary, save a report."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

    home = tmp_path / "home"
    with Store(home / "guidecheck.db") as store:
        assessment_id = store.new_assessment(who, make_profile()).id
    item = next(i for i in who.items if i.type == "compliance" and not i.condition)
    report = tmp_path / "report.pdf"
    stick = tmp_path / "stick"
    stick.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(report), "PDF (*.pdf)")
    )

    def close_the_saved_box() -> None:  # "Report saved: Open / Show in folder / Close"
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.button(QMessageBox.StandardButton.Close).click()
        else:
            QTimer.singleShot(20, close_the_saved_box)

    QTimer.singleShot(20, close_the_saved_box)
    with no_network(monkeypatch) as attempts:
        window = open_main_window(qtbot, home)
        with qtbot.waitSignal(window.assessment_opened, timeout=15_000):
            window.open_assessment(assessment_id)
        editor = window.walkthrough.cards[item.id].editor
        editor.buttons["yes"].click()
        qtbot.waitUntil(lambda: window.runner.pending == 0, timeout=10_000)
        window.show_review()
        window.show_summary()
        window.save_report(assessment_id)
        qtbot.waitUntil(lambda: report.exists(), timeout=30_000)
        qtbot.waitUntil(lambda: window.actions_helper.last_choice == "close", timeout=10_000)
        qtbot.waitUntil(lambda: window.runner.pending == 0, timeout=10_000)
        dialog = export_from_window(qtbot, window, assessment_id, stick)
        assert dialog.written is not None and dialog.written.parent == stick
        window.close()
    with Store(home / "guidecheck.db") as store:
        assert store.answers(assessment_id)[item.id].value == "yes"
    assert report.read_bytes().startswith(b"%PDF")
    assert attempts == []


# --- whole processes under strace (soak: needs the strace tool) -----------------------------------


def _traced(
    log: Path, command: list[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    traced = [
        "strace",
        "-f",
        "-q",
        "-e",
        "trace=socket,connect,sendto,sendmsg",
        "-o",
        str(log),
        *command,
    ]
    return subprocess.run(
        traced, capture_output=True, text=True, timeout=300, env={**cli_env(), **(env or {})}
    )


def _network_calls(log: Path) -> list[str]:
    """System calls that touch an IP network (local AF_UNIX / netlink sockets are not the network)."""
    return [
        line
        for line in log.read_text(errors="replace").splitlines()
        if ("AF_INET" in line or "AF_INET6" in line or "AF_PACKET" in line)
        and "resumed" not in line
    ]


@pytest.mark.soak
def test_soak_whole_processes_make_no_network_system_call(tmp_path: Path, shipped_who) -> None:
    """Below Python: every process of the flow, Qt included, traced at the system-call level."""
    if shutil.which("strace") is None:
        pytest.fail("the offline soak proof needs strace (apt-get install strace)")
    probe = (
        tmp_path / "probe.txt"
    )  # the tracer sees a loopback connection attempt (nothing leaves the machine)
    _traced(
        probe, [sys.executable, "-c", "import socket; socket.socket().connect_ex(('127.0.0.1', 9))"]
    )
    assert _network_calls(probe)
    clinic, hub, stick = tmp_path / "clinic", tmp_path / "hub", tmp_path / "stick"
    stick.mkdir()
    source = _answers_file(tmp_path, shipped_who)
    python = [sys.executable, "-m", "guidecheck.cli.main"]
    logs = []

    def step(
        *args: object, env: dict[str, str] | None = None, command: list[str] | None = None
    ) -> str:
        log = tmp_path / f"trace-{len(logs)}.txt"
        logs.append(log)
        done = _traced(log, (command or python) + [str(a) for a in args], env)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assessment_id = step("--home", clinic, "assessment", "new", "--from", source)
    step("--home", clinic, "assessment", "show", assessment_id)
    step(
        "--home",
        clinic,
        "report",
        assessment_id,
        "--pdf",
        tmp_path / "r.pdf",
        "--xlsx",
        tmp_path / "r.xlsx",
    )
    step("--home", hub, "keys", "district-init", "--out", tmp_path / "d.gckey")
    step("--home", clinic, "keys", "install-district", tmp_path / "d.gckey")
    bundle = step("--home", clinic, "bundle", "export", "--out", stick)
    step("--home", hub, "bundle", "import", bundle)
    shown = json.loads(step("--home", clinic, "keys", "show", "--json"))
    step("--home", hub, "device", "pending")
    step("--home", hub, "device", "approve", shown["device_id"], "--facility", "KE-0101")
    step(
        "--home",
        hub,
        "district",
        "report",
        "--pdf",
        tmp_path / "d.pdf",
        "--xlsx",
        tmp_path / "d.xlsx",
    )
    step("--home", hub, "audit", "verify")
    step("--home", tmp_path / "selftest", "selftest", env={"QT_QPA_PLATFORM": "offscreen"})
    shown = step(
        "--home",
        clinic,
        command=[sys.executable, "-m", "guidecheck.gui.app"],
        env={"GUIDECHECK_STARTUP_PROBE": "1", "QT_QPA_PLATFORM": "offscreen"},
    )
    assert shown.startswith("shown ")
    found = {str(log.name): _network_calls(log) for log in logs}
    assert all("exited with 0" in log.read_text() for log in logs)  # strace really watched each one
    assert {k: v for k, v in found.items() if v} == {}
    TALLY["offline: processes traced with no network system call"] += len(logs)
