"""The hub screen marks an assessment whose clinic audit log did not verify: a band naming it with
the reason, and a word in its overview row. Real clinic and hub folders, a real bundle made after
an answer was edited in the clinic's file, the real hub widget at 1024×600 in every palette
(screens saved in test-output/district/), text contrast sampled from the drawn picture."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from test_contrast import AA, drawn_contrast

from clinic_hub_helpers import import_approved
from guidecheck.bundles import keys
from guidecheck.bundles.export import export_bundle
from guidecheck.checklist.loading import load_questionnaire
from guidecheck.gui.hub.district_models import O_FLAGS
from guidecheck.gui.hub.district_view import open_district_view
from guidecheck.gui.shell.theme import PALETTES
from guidecheck.paths import database_path
from guidecheck.storage.store import Store

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT / "bundles"))  # appended so conftest stays ours
from bundle_helpers import fill, profile_for  # noqa: E402

SHOTS = ROOT.parent / "test-output" / "district"


@pytest.fixture(scope="module")
def flagged_hub(tmp_path_factory) -> tuple[Path, str]:
    """A hub that imported one clinic bundle: two final assessments, one answer of the first
    edited in the clinic's file before the export."""
    tmp = tmp_path_factory.mktemp("audit")
    clinic, hub, stick = tmp / "clinic", tmp / "hub", tmp / "stick"
    for folder in (clinic, hub, stick):
        folder.mkdir()
    key = keys.create_district_identity(hub)
    keys.install_district_keys(clinic, keys.write_district_key_file([key], tmp / "d.gckey"))
    mini = load_questionnaire(ROOT / "bundles" / "data" / "mini.yaml")
    with Store(database_path(clinic)) as store:
        edited = fill(store, mini, profile_for("KSM-7"), final=True)
        fill(store, mini, profile_for("KSM-7", tool="TriageBot"), final=True)
    conn = sqlite3.connect(database_path(clinic))
    with conn:
        conn.execute("UPDATE answers SET value_json = '\"no\"' WHERE assessment_id = ? AND item_id = ?",
                     (edited, mini.items[0].id))  # fmt: skip
    conn.close()
    with Store(database_path(clinic)) as store:
        path = export_bundle(clinic, store, stick).path
    with Store(database_path(hub)) as store:
        assert import_approved(hub, store, path).result.audit_flagged == [edited]
    return hub, edited


@pytest.mark.parametrize("theme", sorted(PALETTES))
def test_a_flagged_assessment_is_marked_with_its_reason(qtbot, themed_app, flagged_hub, theme):
    hub, edited = flagged_hub
    themed_app.setPalette(PALETTES[theme]())
    widget = open_district_view(None, hub)
    qtbot.addWidget(widget)
    widget.resize(1024, 600)
    with qtbot.waitSignal(widget.loaded, timeout=15_000):
        widget.show()
    qtbot.wait(100)  # the layout places the band once the event loop runs
    banner = widget.audit_banner
    assert banner.isVisible()
    text = banner.full_text()
    assert text.startswith("⚠ Audit check – assessments flagged: 1.")
    assert (
        f"Clinic KSM-7 (KSM-7), ChestScan 2.1, {edited[:8]}: differs from the clinic's audit log"
        in text
    )
    assert "value is 'no', but the audit log says 'yes'" in banner.toolTip()
    # two lines cut to the width, and nothing drawn over them on a 1024×600 screen
    shown = banner.text().split("\n")
    assert len(shown) == 2 and shown[0].startswith("⚠ Audit check")
    width = banner.width() - 2 * 8
    assert all(banner.fontMetrics().horizontalAdvance(line) <= width for line in shown)
    tabs_top = widget.tabs.geometry().top()
    assert banner.geometry().bottom() < tabs_top and widget.overview_view.height() > 100
    proxy = widget.overview_proxy
    marks = {proxy.index(r, O_FLAGS).data() for r in range(proxy.rowCount())}
    assert any(m.endswith("· ⚠ audit") for m in marks) and any("audit" not in m for m in marks)
    (row,) = [r for r in range(proxy.rowCount()) if "audit" in proxy.index(r, O_FLAGS).data()]
    tip = proxy.index(row, O_FLAGS).data(3)  # ToolTipRole
    assert tip.startswith("Clinic audit log: differs from the clinic's audit log")
    ratio, _background, _text = drawn_contrast(widget.grab().toImage(), banner, widget)
    assert ratio >= AA, (theme, ratio)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / f"audit-flag-{theme}-1024x600.png"))
    widget.close()
