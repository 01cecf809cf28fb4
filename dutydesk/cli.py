"""The ``dutydesk`` command: parses arguments, builds the database, clock and app.

Options are accepted before or after a subcommand alike. Every error a user
can cause ends as one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, NoReturn

from dutydesk import __version__
from dutydesk.config import KioskOptions as KioskOptions
from dutydesk.config import SiteGlance, glance
from dutydesk.errors import DutyDeskError
from dutydesk.i18n import N_, _, gettext, language_from_env, normalise, set_language
from dutydesk.oserrors import describe

if TYPE_CHECKING:
    # argparse is imported when a parser is built: a plain kiosk start
    # (``--db FILE --desk CODE``) is read without it (:func:`quick_kiosk_options`).
    import argparse

EXIT_USAGE = 2
EXIT_ERROR = 1

# argparse's own words, given Chinese in our catalogue: a --help or a usage error
# reads in one language, "usage:" and "options:" included.
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
)


def _argparse_gettext(message: str) -> str:
    return gettext(message)


@cache
def _argparse() -> type[argparse.ArgumentParser]:
    """argparse, its words translated; the parser class of the command line."""
    import argparse  # deferred for start-up speed

    argparse._ = _argparse_gettext  # type: ignore[attr-defined]

    class _Parser(argparse.ArgumentParser):
        """argparse, but an error is one line (no usage dump) and exit 2."""

        def error(self, message: str) -> NoReturn:
            self.exit(EXIT_USAGE, f"dutydesk: {message}\n")

    return _Parser


def _type_error(message: str) -> Exception:
    import argparse  # deferred for start-up speed (argparse is already loaded here)

    return argparse.ArgumentTypeError(message)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise _type_error(_("not a whole number: {text}", text=text)) from None
    if value <= 0:
        raise _type_error(_("must be above zero: {text}", text=text))
    return value


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise _type_error(_("not a whole number: {text}", text=text)) from None
    if value < 0:
        raise _type_error(_("cannot be negative: {text}", text=text))
    return value


def _lang(text: str) -> str:
    found = normalise(text)
    if found is None:
        raise _type_error(_("language must be zh or en: {text}", text=text))
    return found


def _common_options(parser: argparse.ArgumentParser, *, top: bool, kiosk: bool = True) -> None:
    """--db, --desk and --lang on every parser (before or after a subcommand alike);
    --lock-after only where the kiosk starts (``kiosk``). An option a subcommand
    defines itself is left to it."""
    import argparse  # deferred for start-up speed (a parser exists: so does argparse)

    # SUPPRESS on the subparsers so that an option given before the subcommand
    # is not overwritten by the subparser's default.
    default = None if top else argparse.SUPPRESS
    own = set(parser._option_string_actions)
    group = parser.add_argument_group(_("kiosk options") if kiosk else _("common options"))
    if "--db" not in own:
        group.add_argument(
            "--db",
            default=default,
            metavar="PATH|URL",
            help=_("database file or URL (default: DUTYDESK_DB, then the user data folder)"),
        )
    if "--desk" not in own:
        group.add_argument(
            "--desk", default=default, metavar="CODE", help=_("the desk this kiosk serves")
        )
    if "--lang" not in own:
        group.add_argument(
            "--lang",
            default=default,
            type=_lang,
            metavar="zh|en",
            help=_("language of the screens"),
        )
    if kiosk and "--lock-after" not in own:
        group.add_argument(
            "--lock-after",
            default=default,
            type=_positive_int,
            metavar="SECONDS",
            help=_("lock the screen after this many idle seconds"),
        )


# Subcommands that start the kiosk (they take its --lock-after).
KIOSK_COMMANDS = frozenset({"demo"})


def _nested_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """The parsers of a subcommand's own subcommands (``handover show``…), deepest too."""
    import argparse  # deferred for start-up speed (a parser exists: so does argparse)

    found: list[argparse.ArgumentParser] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for nested in dict.fromkeys(action.choices.values()):
                found.append(nested)
                found.extend(_nested_parsers(nested))
    return found


# Subcommands register here: name -> (help msgid, add arguments, run).
Command = tuple[
    str, Callable[["argparse.ArgumentParser"], None], Callable[["argparse.Namespace"], int]
]
COMMANDS: dict[str, Command] = {}


def register(
    name: str,
    help_msgid: str,
    add: Callable[[argparse.ArgumentParser], None],
    run: Callable[[argparse.Namespace], int],
) -> None:
    """Add a subcommand. ``help_msgid`` is an English msgid marked with ``N_``."""
    COMMANDS[name] = (help_msgid, add, run)


def build_parser(load_commands: bool = True) -> argparse.ArgumentParser:
    """The parser; ``load_commands=False`` leaves the subcommands out (the kiosk's own
    start, which names none: importing them all would slow the start)."""
    if load_commands:
        _load_commands()
    parser_class = _argparse()
    parser = parser_class(
        prog="dutydesk",
        description=_("DutyDesk: the duty desk kiosk (值班台)."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"dutydesk {__version__}",
        # argparse's own default for this help is a plain string, never translated.
        help=_("show program's version number and exit"),
    )
    _common_options(parser, top=True)
    subs = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=parser_class)
    for name, (help_msgid, add, run) in COMMANDS.items():
        sub = subs.add_parser(name, help=_(help_msgid), description=_(help_msgid))
        _common_options(sub, top=False, kiosk=name in KIOSK_COMMANDS)
        add(sub)
        for nested in _nested_parsers(sub):
            _common_options(nested, top=False, kiosk=False)
        sub.set_defaults(run=run)
    return parser


def _load_commands() -> None:
    """Import the modules whose subcommands register themselves."""
    from dutydesk.commands import load_all

    load_all()


# Top-level options that take a value (the value is not a subcommand's name).
_VALUE_OPTIONS = frozenset({"--db", "--desk", "--lang", "--lock-after"})


def names_a_command(argv: Sequence[str]) -> bool:
    """Could ``argv`` name a subcommand (or ask for help)? False only for a plain kiosk
    start such as ``--db FILE --desk CODE``; when in doubt, True (load them all)."""
    value_next = False
    for arg in argv:
        if value_next:
            value_next = False
        elif arg in _VALUE_OPTIONS:
            value_next = True
        elif not arg.startswith("-") or arg in ("-", "--", "-h", "--help"):
            return True
    return False


def kiosk_options(args: argparse.Namespace) -> KioskOptions:
    return KioskOptions(
        db=getattr(args, "db", None),
        desk=getattr(args, "desk", None) or os.environ.get("DUTYDESK_DESK") or None,
        lang=getattr(args, "lang", None),
        lock_after=getattr(args, "lock_after", None),
    )


def quick_kiosk_options(argv: Sequence[str]) -> KioskOptions | None:
    """A plain kiosk start (``--db FILE --desk CODE``, ``--lang``, ``--lock-after``, each
    ``--name value`` or ``--name=value``) read without argparse; None for anything
    else, which argparse then reads (its errors and help included). Speed: argparse
    and the parser cost the lock screen's first paint ~3 %."""
    values: dict[str, str] = {}
    rest = list(argv)
    while rest:
        name = rest.pop(0)
        if name.startswith("--") and "=" in name:
            name, value = name.split("=", 1)
        elif rest:
            value = rest.pop(0)
        else:
            return None
        if name not in _VALUE_OPTIONS or not value or value.startswith("-"):
            return None
        values[name] = value
    lang = values.get("--lang")
    if lang is not None:
        lang = normalise(lang)
        if lang is None:
            return None
    lock_after: int | None = None
    if "--lock-after" in values:
        try:
            lock_after = int(values["--lock-after"])
        except ValueError:
            return None
        if lock_after <= 0:
            return None
    return KioskOptions(
        db=values.get("--db"),
        desk=values.get("--desk") or os.environ.get("DUTYDESK_DESK") or None,
        lang=lang,
        lock_after=lock_after,
    )


def _initial_language(args_lang: str | None) -> str:
    return args_lang or language_from_env() or "zh"


def has_terminal() -> bool:
    """Can the kiosk draw and read keys here? ``TEXTUAL_DRIVER`` names a driver that
    needs none (the bench's headless cold start)."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    return sys.stdin.isatty() and sys.stdout.isatty()


def run_kiosk(options: KioskOptions, first_look: SiteGlance | None = None) -> int:
    """Open the database, find the desk, and run the app until it quits."""
    from dutydesk.kiosk import start_app  # deferred for start-up speed (subcommands need none)

    app = start_app(options, first_look)
    if not has_terminal():
        # Without a terminal the app would wait for keys that never come, using a core
        # (a service started with stdin from /dev/null): say so and stop at once.
        print(_("dutydesk needs a terminal (run it in a console or over SSH)"), file=sys.stderr)
        return EXIT_USAGE
    app.run()
    if app.start_error is not None:  # the database failed to open after the first paint
        raise app.start_error
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Command-line messages follow --lang, else the environment; the kiosk
    # itself refines this with the site's and the person's language.
    pre_lang = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            pre_lang = normalise(argv[i + 1])
        elif arg.startswith("--lang="):
            pre_lang = normalise(arg.split("=", 1)[1])
    # One language for the whole run: --lang, else the site's, else LANG.
    pre_db = None
    for i, arg in enumerate(argv):
        if arg == "--db" and i + 1 < len(argv):
            pre_db = argv[i + 1]
        elif arg.startswith("--db="):
            pre_db = arg.split("=", 1)[1]
    # The site is looked at once (read-only): its language here, its desk for the kiosk.
    first_look = glance(pre_db)
    site_lang = first_look.language if first_look is not None else None
    set_language(pre_lang or site_lang or _initial_language(None))
    args: argparse.Namespace | None = None
    options = quick_kiosk_options(argv)
    if options is None:
        args = build_parser(load_commands=names_a_command(argv)).parse_args(argv)
        options = kiosk_options(args)
    try:
        if args is not None and getattr(args, "run", None) is not None:
            return int(args.run(args))
        return run_kiosk(options, first_look if options.db == pre_db else None)
    except DutyDeskError as exc:
        print(f"dutydesk: {exc.translated()}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # a file the command read: its path, in the reader's language
        print(f"dutydesk: {describe(exc, write=False)}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:
        # A database fault outside a write (a damaged page read by a command): named.
        from dutydesk.dbfaults import classify

        typed = classify(exc)
        if typed is not None:
            print(f"dutydesk: {typed.translated()}", file=sys.stderr)
            return EXIT_ERROR
        # Never Python's traceback (and never one with local variables): one line here,
        # the whole story in the error log.
        from dutydesk.errorlog import log_exception, log_file

        log_exception(exc, f"dutydesk {getattr(args, 'command', None) or 'kiosk'}")
        print(
            _(
                "dutydesk: unexpected error ({kind}); details in {log}",
                kind=type(exc).__name__,
                log=log_file(),
            ),
            file=sys.stderr,
        )
        return EXIT_ERROR
