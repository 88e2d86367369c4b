"""The exact bytes behind every signature and stored hash, pinned.

Bundle manifests are signed, variant hashes and report content hashes are stored, and the audit
chain hashes each entry: if the JSON these are computed from changed by one byte, every old
signature, stored hash and audit chain would stop matching. These figures were computed before the
JSON helpers were merged into one; they must never change.
"""

from __future__ import annotations

import hashlib

from guidecheck.bundles.manifest import canonical_json as manifest_bytes
from guidecheck.bundles.payload import Payload
from guidecheck.bundles.variants import body_sha256
from guidecheck.checklist.model import Answer, Assessment, Profile
from guidecheck.reports.content import content_hash
from guidecheck.storage import audit

BODY = {
    "id": "a1",
    "status": "final",
    "profile_json": '{"facility_name": "Clínica São João"}',
    "answers": [{"item_id": "q2", "value_json": "3.5", "note": "née «ok»"}],
    "revision": 2,
    "replaces": None,
}


def test_a_variant_hash_is_unchanged():
    assert body_sha256(BODY) == "7de883541f47a8529bd5745bf38a129ae73b2646e9c22f74ebaef7518197a31b"


def test_manifest_bytes_are_unchanged():
    assert manifest_bytes({"b": "é", "a": [1, 2]}) == b'{"a":[1,2],"b":"\\u00e9"}'
    signed = manifest_bytes({"b": "é", "a": [1, 2], "n": None})
    assert (
        hashlib.sha256(signed).hexdigest()
        == "b6ebfcd92abad4d9ff55bef6cfafa3b7159c7992b41e06b7ed5f37ece67691f1"
    )


def test_payload_bytes_are_unchanged():
    payload = Payload([{"code": "KSM", "name": "Clínica"}], [], [], [BODY], [], format=1)
    format_1 = (
        '{"assessments":[{"answers":[{"item_id":"q2","note":"née «ok»","value_json":"3.5"}],'
        '"id":"a1","profile_json":"{\\"facility_name\\": \\"Clínica São João\\"}","replaces":null,'
        '"revision":2,"status":"final"}],"audit":[],"facilities":[{"code":"KSM","name":"Clínica"}],'
        '"questionnaire_versions":[],"tools":[]}'
    )
    assert payload.to_json() == format_1.encode()
    # format 2 (the monitoring log) only adds its two lists, in their sorted place
    payload = Payload([{"code": "KSM", "name": "Clínica"}], [], [], [BODY], [], format=2)
    format_2 = format_1.replace(
        ',"questionnaire_versions"',
        ',"monitoring_events":[],"monitoring_tallies":[],"questionnaire_versions"',
    )
    assert payload.to_json() == format_2.encode()


def test_audit_entry_hash_and_stored_text_are_unchanged():
    values = {"seq": 1, "at": "2026-01-15T10:00:00Z", "actor": "Aïcha", "new": "«x»"}
    assert (
        audit.entry_hash("0" * 64, values)
        == "aa53320e8306190491affc0c0c6bfb7f114e37feab81afeb0bea02e8924fd572"
    )


def test_report_content_hash_is_unchanged():
    profile = Profile(facility_name="Clínica São João", facility_code="KSM", tool_name="Lecteur")
    assessment = Assessment(
        id="a1", lineage_id="l1", revision=1, replaces=None, questionnaire_id="who",
        questionnaire_version="1.0", status="draft", profile=profile,
        created_at="2026-01-15T10:00:00Z", updated_at="2026-01-15T10:00:00Z",
    )  # fmt: skip
    answers = {"q2": Answer("q2", 3.5, "née"), "q1": Answer("q1", ["a", "b"])}
    assert content_hash(assessment, answers) == PINNED_CONTENT_HASH


PINNED_CONTENT_HASH = "fbc6283db24defe825a3cdd15ca1059dd63b459770f3780c0afcf6402b7b2226"
