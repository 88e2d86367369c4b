"""Any import order gives the same hub, and an interrupted write never leaves a bundle-looking file."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest
from bundle_helpers import SIGN, fill, open_store, profile_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_hub_helpers import dump, import_approved
from guidecheck.atomic import write_atomic
from guidecheck.bundles import keys
from guidecheck.bundles.export import export_bundle
from guidecheck.paths import database_path

DOMAIN_TABLES = (
    "facilities",
    "tools",
    "questionnaire_versions",
    "assessments",
    "answers",
    "bundle_variants",
    "bundle_audit",
)


@pytest.fixture(scope="module")
def bundle_set(tmp_path_factory):
    """Bundles from two clinics and a cloned laptop: drafts, edits, finals, revisions and a conflict."""
    from guidecheck.checklist.loading import load_questionnaire

    mini = load_questionnaire(Path(__file__).parent / "data" / "mini.yaml")
    root = tmp_path_factory.mktemp("orders")
    out = root / "bundles"
    out.mkdir()
    hub_key_home = root / "hubkeys"
    key = keys.create_district_identity(hub_key_home)
    key_file = keys.write_district_key_file([key], root / "d.gckey")
    paths: list[Path] = []

    def export(home: Path) -> None:
        with open_store(home) as store:
            paths.append(export_bundle(home, store, out).path)

    a, b = root / "a", root / "b"
    for home in (a, b):
        keys.install_district_keys(home, key_file)
    with open_store(a) as store:
        shared = fill(store, mini, profile_for("KSM-A"), limit=3)
    export(a)
    with open_store(b) as store:
        fill(store, mini, profile_for("KSM-B"), limit=2)
    export(b)
    with open_store(a) as store:
        for item in mini.items:
            if item.id not in store.answers(shared):
                store.save_answer(shared, item.id, _value(item), note="n")
        store.finalize(shared, SIGN)
    export(a)
    clone = root / "a-clone"
    shutil.copytree(a, clone)  # one installation on two laptops: each revises the final one
    for n, home in enumerate((a, clone)):
        with open_store(home) as store:
            store.save_answer(store.revise(shared).id, "a_poster", ("partly", "no")[n])
        export(home)
    with open_store(b) as store:
        fill(store, mini, profile_for("KSM-B", tool="Other"), limit=5)
    export(b)
    return root, paths


def _value(item):
    return {"compliance": "yes", "single_choice": item.choices[0].id if item.choices else None,
            "multiple_choice": [item.choices[0].id] if item.choices else None, "number": 3,
            "date": "2026-10-01", "text": "ok"}[item.type]  # fmt: skip


def import_all(root: Path, paths: list[Path]) -> dict:
    hub = root / f"hub-{uuid.uuid4().hex[:8]}"
    shutil.copytree(root / "hubkeys", hub)
    with open_store(hub) as store:
        for path in paths:
            assert import_approved(hub, store, path).imported
        conflicts = [
            r[0]
            for r in store.conn.execute("SELECT id FROM assessments WHERE conflict = 1 ORDER BY id")
        ]
    data = dump(database_path(hub))
    return {"conflicts": conflicts} | {t: data[t] for t in DOMAIN_TABLES}


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.randoms(use_true_random=False), st.integers(0, 2))
def test_any_order_and_repeats_give_the_same_hub(bundle_set, rnd, repeats):
    root, paths = bundle_set
    reference = import_all(root, paths)
    order = list(paths) + [rnd.choice(paths) for _ in range(repeats)]
    rnd.shuffle(order)
    assert import_all(root, order) == reference
    assert (
        len(reference["conflicts"]) == 2
    )  # the cloned laptop's two revisions 2 of one final assessment


def test_interrupted_write_leaves_no_bundle_named_file(tmp_path):
    target = tmp_path / "guidecheck-X-20261125-0900-abcd1234.gcbundle"
    target.mkdir()  # the rename cannot happen: as if the stick vanished at that moment
    with pytest.raises(OSError):
        write_atomic(target, b"GCBUNDLE" + b"\0" * 1000, overwrite=True)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temp file left either
    with pytest.raises(FileExistsError):
        write_atomic(tmp_path / "x", b"1") and write_atomic(tmp_path / "x", b"2")
    assert (tmp_path / "x").read_bytes() == b"1"
