"""`guidecheck keys ...`: this device's identity and the district keys bundles are encrypted to."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from guidecheck.i18n import _

if TYPE_CHECKING:
    from guidecheck.cli.common import CommandContext


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "keys", help=_("device identity and district keys for sync bundles")
    )
    commands = parser.add_subparsers(dest="command", metavar="ACTION")
    commands.required = True

    show = commands.add_parser(
        "show", help=_("print the device id, key fingerprints and district status")
    )
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    show.set_defaults(handler=cmd_show)

    init = commands.add_parser(
        "district-init",
        help=_("make this installation a district hub and write the public key for clinics"),
    )
    init.add_argument(
        "--out", required=True, metavar="FILE", help=_("where to write the public key (.gckey)")
    )
    init.add_argument("--name", default="", help=_("district name shown to clinics"))
    init.set_defaults(handler=cmd_district_init)

    export = commands.add_parser(
        "district-export", help=_("write this hub's public district key again")
    )
    export.add_argument("--out", required=True, metavar="FILE")
    export.set_defaults(handler=cmd_district_export)

    change = commands.add_parser(
        "passphrase",
        help=_(
            "change the passphrase that protects this computer's keys (the current one is needed)"
        ),
    )
    change.add_argument(
        "--new-passphrase-file",
        metavar="FILE",
        help=_("file whose first line is the new passphrase (default: asked on the terminal)"),
    )
    change.set_defaults(handler=cmd_passphrase)

    install = commands.add_parser(
        "install-district", help=_("install a district's public key (.gckey file)")
    )
    install.add_argument("file", metavar="FILE")
    install.set_defaults(handler=cmd_install_district)


def cmd_show(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.bundles import keys
    from guidecheck.bundles.enrolment import enrol_code

    home = context.home
    store = context.store()
    device_public = keys.device_public_key(home)  # read without the passphrase (made on first use)
    code = enrol_code(store.device_id, device_public)
    hub = keys.district_public(home)
    installed = keys.installed_district_keys(home)
    protections = keys.key_protections(home)
    if getattr(args, "json", False):
        from guidecheck.cli.common import print_json

        print_json({
            "device_id": store.device_id, "enrol_code": code, "public_key": device_public.hex(),
            "district_hub": hub is not None,
            "district_key": hub.fingerprint if hub is not None else None,
            "encrypted_to": [k.fingerprint for k in installed],
            "protection": protections,
        })  # fmt: skip
        return 0
    print(_("Device id:          {id}").format(id=store.device_id))
    print(_("Enrolment code:     {code}").format(code=code))
    print(_("Device signing key: {fp}").format(fp=keys.fingerprint(device_public)))
    print(_("Keys protected by:  {how}").format(how=_protection_words(protections)))
    if hub is not None:
        public = hub
        label = f" ({public.name})" if public.name else ""
        print(
            _("District hub:       yes, district key {fp}{name}").format(
                fp=public.fingerprint, name=label
            )
        )
    else:
        print(_("District hub:       no"))
    if installed:
        for key in installed:
            label = f" ({key.name})" if key.name else ""
            print(_("Bundles encrypted to: {fp}{name}").format(fp=key.fingerprint, name=label))
    else:
        print(
            _("Bundles encrypted to: nobody (no district key installed: bundles are signed only)")
        )
    return 0


def _protection_words(protections: dict[str, str]) -> str:
    from guidecheck.bundles.key_store import SERVICE

    words = {
        "keyring": _("the system key store (entry '{service}')").format(service=SERVICE),
        "passphrase": _("a passphrase"),
        "plain": _("nothing yet (protected when next used)"),
    }
    found = sorted({words.get(p, p) for p in protections.values()})
    return ", ".join(found) if found else _("no private key yet")


def cmd_passphrase(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.bundles import key_protection, keys
    from guidecheck.bundles.errors import BundleRefused
    from guidecheck.cli.common import terminal_prompt

    home = context.home
    if "passphrase" not in keys.key_protections(home).values():
        raise BundleRefused(
            _("No key of this installation is protected by a passphrase; nothing was changed.")
        )
    keys.unlock_keys(home)  # the current passphrase first: a wrong one changes nothing
    if args.new_passphrase_file:
        new = key_protection.read_passphrase_file(Path(args.new_passphrase_file))
    elif sys.stdin is not None and sys.stdin.isatty():
        request = key_protection.PassphraseRequest(_("this computer's keys"), creating=True)
        new = terminal_prompt(request) or ""
        if not new:
            raise BundleRefused(_("Stopped: no new passphrase was given, so nothing was changed."))
    else:
        raise BundleRefused(
            _("Give the new passphrase with --new-passphrase-file FILE; nothing was changed.")
        )
    changed = key_protection.change_passphrase(home, [keys.DEVICE, keys.DISTRICT], new)
    store = context.store()
    with store.atomic():
        store.record_audit("", "keys", ",".join(k.fingerprint for k in changed), "passphrase")
    print(
        _("The passphrase was changed for {n} key(s); use the new one from now on.").format(
            n=len(changed)
        )
    )
    return 0


def cmd_district_init(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.bundles import keys
    from guidecheck.bundles.errors import BundleRefused

    out = Path(args.out)
    if out.exists():
        raise BundleRefused(_("{path} already exists; choose another name.").format(path=out))
    store = context.store()
    key = keys.create_district_identity(context.home, args.name)
    with store.atomic():
        store.set_meta("district_hub", "1")
        store.record_audit("", "keys", key.fingerprint, "district-init", new={"name": key.name})
    keys.write_district_key_file([key], out)
    print(
        _("This installation is now the district hub; district key {fp}.").format(
            fp=key.fingerprint
        )
    )
    print(_("Give this file to the clinics: {path}").format(path=out.resolve()))
    return 0


def cmd_district_export(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.bundles import keys
    from guidecheck.bundles.errors import BundleRefused

    hub = keys.district_public(context.home)
    if hub is None:
        raise BundleRefused(
            _("This installation is not a district hub; run 'guidecheck keys district-init' first.")
        )
    path = keys.write_district_key_file([hub], Path(args.out))
    print(path.resolve())
    return 0


def cmd_install_district(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.bundles import keys

    store = context.store()
    installed = keys.install_district_keys(context.home, Path(args.file))
    with store.atomic():
        store.record_audit(
            "", "keys", ",".join(k.fingerprint for k in installed), "install-district"
        )
    for key in installed:
        label = f" ({key.name})" if key.name else ""
        print(
            _("Installed district key {fp}{name}; bundles will be encrypted to it.").format(
                fp=key.fingerprint, name=label
            )
        )
        print(
            _(
                "Compare {fp} with the fingerprint the district officer gave you (on paper or by phone); if it differs, do not export."
            ).format(fp=key.fingerprint)
        )
    return 0
