"""`guidecheck bundle ...`: write, check and import the sync bundles carried from clinic to district."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidecheck.i18n import _, ngettext

if TYPE_CHECKING:
    from guidecheck.cli.common import CommandContext


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "bundle", help=_("sync bundles: export for the district, verify, import")
    )
    commands = parser.add_subparsers(dest="command", metavar="ACTION")
    commands.required = True

    export = commands.add_parser(
        "export", help=_("write a bundle of what changed since the last export")
    )
    export.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help=_("folder to write the bundle into (e.g. a USB stick)"),
    )
    export.add_argument(
        "--full", action="store_true", help=_("include every record, not only what changed")
    )
    export.set_defaults(handler=cmd_export)

    verify = commands.add_parser("verify", help=_("check a bundle and print what is inside"))
    verify.add_argument("file", metavar="FILE")
    verify.set_defaults(handler=cmd_verify)

    imp = commands.add_parser("import", help=_("import bundles into this district hub"))
    imp.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help=_("bundle files, patterns such as E:\\*.gcbundle, or folders (every bundle in them)"),
    )
    imp.add_argument("--dry-run", action="store_true", help=_("check and report, write nothing"))
    imp.set_defaults(handler=cmd_import)

    history = commands.add_parser("history", help=_("list the bundles written and imported here"))
    history.set_defaults(handler=cmd_history)

    conflicts = commands.add_parser(
        "conflicts", help=_("list assessments received in two incompatible versions")
    )
    conflicts.set_defaults(handler=cmd_conflicts)


def cmd_export(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.bundles.export import export_bundle

    result = export_bundle(context.home, context.store(), Path(args.out), full=args.full)
    if result.warning:
        print(_("Warning: {text}").format(text=result.warning), file=sys.stderr)
    if result.manifest.counts["assessments"] == 0:
        print(
            _("Nothing changed since the last export: the bundle holds no assessments."),
            file=sys.stderr,
        )
    print(result.path)
    return 0


def cmd_verify(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.bundles import container, ledger
    from guidecheck.bundles.errors import BundleRefused
    from guidecheck.bundles.verify import open_bundle

    path = Path(args.file)
    store = context.store()
    try:
        opened = open_bundle(
            container.read_bundle_file(path), context.home, store.conn, require_payload=False
        )
    except BundleRefused as exc:
        raise BundleRefused(
            _("{name} is refused: {reason}").format(name=path.name, reason=exc.message)
        ) from None
    m = opened.manifest
    from guidecheck.bundles import enrolment

    state = enrolment.device(store.conn, m.device_id, m.device_key)
    known = (
        _("device approved here for {codes}").format(codes=", ".join(state.facilities))
        if state is not None and state.status == enrolment.APPROVED
        else _("device not approved here")
    )
    print(
        _("Bundle:      {id} (format {fmt}, GuideCheck {app})").format(
            id=m.bundle_id, fmt=m.format, app=m.app_version
        )
    )
    print(
        _("Written:     {at} by device {device} ({known})").format(
            at=m.created_at, device=m.device_id, known=known
        )
    )
    print(_("Signature:   valid, device key {fp}").format(fp=opened.device_fingerprint))
    print(
        _("Enrolment:   code {code}").format(
            code=enrolment.enrol_code(m.device_id, bytes.fromhex(m.device_key))
        )
    )
    print(_("Facilities:  {codes}").format(codes=", ".join(m.facility_codes) or "-"))
    scope = _("full") if m.scope == "full" else _("changes since {since}").format(since=m.since)
    print(_("Contents:    {scope}").format(scope=scope))
    print(
        "             " + ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in m.counts.items())
    )
    if not m.encrypted_to:
        print(_("Encryption:  none (signed only)"))
    elif opened.payload is None:
        print(
            _("Encryption:  for district key {fp}; not readable here").format(
                fp=", ".join(m.encrypted_to)
            )
        )
    else:
        print(
            _("Encryption:  for district key {fp}; decrypted and checked").format(
                fp=", ".join(m.encrypted_to)
            )
        )
    if opened.payload is not None:
        from guidecheck.bundles.payload import audit_chain_problem

        broken = audit_chain_problem(opened.payload.audit)
        if broken is None:
            print(
                _("Clinic audit:  {n} entries, hash chain intact").format(
                    n=len(opened.payload.audit)
                )
            )
        else:
            print(
                _(
                    "Clinic audit:  hash chain BROKEN at entry {seq}: the clinic's log was altered"
                ).format(seq=broken)
            )
    _print_audit_head(opened)
    when = ledger.imported_at(store.conn, m.bundle_id)
    if when:
        print(_("Imported:    {at}").format(at=when))
    return 0


def cmd_import(context: CommandContext, args: argparse.Namespace) -> int:
    """Each line is printed once the commit holding that file has returned (`import_batch`):
    what this command says was imported survives a power cut."""
    from guidecheck.bundles import keys
    from guidecheck.bundles.import_batch import import_files

    files = expand_bundle_args(args.files)
    store = context.store()
    keys.unlock_keys(context.home, device=False)  # asks for the passphrase once, before any file
    failures = held = 0
    for outcome in import_files(context.home, store, files, dry_run=args.dry_run):
        print(outcome.summary(), flush=True)
        held += outcome.held
        failures += not outcome.imported and not outcome.held
        del outcome  # nothing of a file stays in memory while the next one is read
    if held:
        print(
            ngettext(  # both forms in the catalogue: a conditional inside _() extracts as one
                "{n} file waits for its device's approval: see 'guidecheck device pending'.",
                "{n} files wait for their device's approval: see 'guidecheck device pending'.",
                held,
            ).format(n=held),
            file=sys.stderr,
        )
    if failures:
        print(
            _("{n} of {total} files were refused; nothing from them was imported.").format(
                n=failures, total=len(files)
            ),
            file=sys.stderr,
        )
        return 2
    return 0


def expand_bundle_args(names: list[str]) -> list[Path]:
    """The files named on the command line, with patterns and folders expanded here: Windows
    shells pass `E:\\*.gcbundle` on unchanged, and a folder (`E:\\`) means every bundle in it."""
    import glob

    from guidecheck.bundles.container import SUFFIX
    from guidecheck.errors import UserError

    found: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.name.endswith(SUFFIX)
                            and not p.name.startswith(".") and p.is_file())  # fmt: skip
            if not inside:
                raise UserError(
                    _("There is no {suffix} file in {folder}.").format(suffix=SUFFIX, folder=path)
                )
            found += inside
        elif not path.exists() and glob.has_magic(name):
            matches = sorted(Path(m) for m in glob.glob(name) if Path(m).is_file())
            if not matches:
                raise UserError(_("No file matches {pattern}.").format(pattern=name))
            found += matches
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def cmd_history(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.bundles import ledger
    from guidecheck.cli.common import print_table

    conn = context.store().conn
    exports, imports = ledger.exports(conn), ledger.imports(conn)
    if not exports and not imports:
        print(_("No bundle was written or imported here yet."))
        return 0
    rows = [
        [at, bid[:8], scope, str(json.loads(counts)["assessments"]), path]
        for at, bid, scope, counts, path in exports
    ]
    if rows:
        print(_("Written here:"))
        print_table(rows, [_("time"), _("bundle"), _("scope"), _("assessments"), _("where")])
    rows = [
        [at, bid[:8], device[:8], _result_text(result), name]
        for at, bid, device, result, name in imports
    ]
    if rows:
        print(_("Imported here:"))
        print_table(rows, [_("time"), _("bundle"), _("device"), _("result"), _("file")])
    return 0


def _result_text(result_json: str) -> str:
    r = json.loads(result_json)
    return _("{new} new, {updated} updated, {conflicts} conflicts").format(**r)


def cmd_conflicts(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.bundles import ledger
    from guidecheck.bundles.variants import current_sha256

    conn = context.store().conn
    rows = ledger.flagged_assessments(conn)
    if not rows:
        print(_("No conflicts."))
        return 0
    for assessment_id, revision, facility, device in rows:
        print(
            _("{facility}: assessment {id} revision {rev} (device {device})").format(
                facility=facility, id=assessment_id[:8], rev=revision, device=device[:8]
            )
        )
        current = current_sha256(conn, assessment_id)
        for updated_at, status, sha in ledger.variants_of(conn, assessment_id):
            mark = "*" if sha == current else " "
            print(f"  {mark} {updated_at}  {status:5}  {sha[:12]}")
    print(_("* = the version shown in reports; the others are kept in bundle_variants."))
    return 0


def _print_audit_head(opened: Any) -> None:
    """The clinic's audit head signed in the manifest, and whether the entries lead to it
    (checked when the bundle was opened)."""
    head = opened.manifest.audit_head
    if head is None:
        print(_("Audit head:  not signed (a bundle of an earlier GuideCheck)"))
        return
    print(
        _("Audit head:  signed, entries {first} to {last} of {count}").format(
            first=head.after_seq + 1, last=head.seq, count=head.count
        )
    )
    if opened.chain_checked and opened.chain_problem is not None:
        print("             " + opened.chain_problem)
