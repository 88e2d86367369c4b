"""District reports from hostile or damaged text: formulas stay text, control characters go, and
one unreadable record is named and skipped instead of stopping the report."""

from __future__ import annotations

from hub_builder import build_hub
from openpyxl import load_workbook

from guidecheck.cli.main import main


def test_district_workbook_keeps_user_text_as_text_and_skips_a_bad_record(tmp_path, capsys):
    hub = build_hub(tmp_path)
    formula = '=HYPERLINK("http://evil.example","Click")'
    conn = hub.store.conn
    conn.execute("UPDATE facilities SET name = ? WHERE code = 'A01'", (formula,))
    conn.execute(
        "UPDATE answers SET note = 'pasted\x0bfrom Word\x01' WHERE assessment_id = ? AND item_id = 'c1'",
        (hub.ids["a2"],),
    )
    conn.execute(
        "UPDATE answers SET value_json = '{not json' WHERE assessment_id = ? AND item_id = 'c1'",
        (hub.ids["b"],),
    )
    conn.execute("UPDATE facilities SET name = '+cmd|calc' WHERE code = 'C01'")
    hub.store.close()
    out = tmp_path / "d.xlsx"
    pdf = tmp_path / "d.pdf"
    code = main(
        ["--home", str(hub.home), "district", "report", "--xlsx", str(out), "--pdf", str(pdf)]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert f"Assessment {hub.ids['b']} (B01) was left out" in captured.err
    book = load_workbook(out)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    by_value = {c.value: c for c in cells if isinstance(c.value, str)}
    assert by_value[formula].data_type == "s"  # stored as text, never a formula
    assert not any(c.data_type == "f" for c in cells)
    assert "+cmd|calc" in by_value
    assert "pasted from Word" in by_value
    assert not any("\x0b" in v or "\x01" in v for v in by_value)
    assert pdf.stat().st_size > 1000
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_a_failed_workbook_write_leaves_no_half_file(tmp_path, capsys):
    hub = build_hub(tmp_path)
    hub.store.close()
    folder = tmp_path / "out"
    (folder / "d.xlsx").mkdir(parents=True)  # the name is taken by a folder: the write fails
    code = main(["--home", str(hub.home), "district", "report", "--xlsx", str(folder / "d.xlsx")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.count("\n") == 0 and "d.xlsx" in err and "Traceback" not in err
    assert [p.name for p in folder.iterdir()] == ["d.xlsx"] and (folder / "d.xlsx").is_dir()
