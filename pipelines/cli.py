"""The ``kith`` command line. Every command prints one clear line on error and exits non-zero."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pipelines.settings import DEFAULT_DB, DEFAULT_OVERRIDES, SyncSettings, configure_environment

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """An expected failure: printed as one line, exit 1."""


def _print(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def cmd_sync(args: argparse.Namespace) -> int:
    settings = SyncSettings.from_cli(args.paths, args.db, args.overrides, args.region, args.dask)
    for path in settings.paths:
        if not Path(path).expanduser().exists():
            raise CliError(
                f"{path}: no such file or folder (expected export files, folders or zip archives)"
            )
    from pipelines import warehouse

    try:  # fail before Prefect starts when the database cannot be written at all
        with warehouse.sync_lock(settings.db):
            if settings.db.exists():
                warehouse.check_is_duckdb(settings.db)
    except warehouse.WarehouseError as error:
        raise CliError(str(error)) from None
    from pipelines import progress
    from pipelines.sync_flow import sync_flow

    if not args.quiet:
        progress.install(progress.Progress(sys.stdout, live=sys.stdout.isatty()))

    flow = sync_flow
    if settings.dask_address:
        try:
            from prefect_dask import DaskTaskRunner
        except ImportError:
            raise CliError("--dask needs the dask extra: pip install -e '.[dask]'") from None

        # files are parsed and pair partitions scored on the cluster's workers
        runner = DaskTaskRunner(address=settings.dask_address)
        flow = sync_flow.with_options(task_runner=runner)  # type: ignore[arg-type]
    summary = flow(
        paths=list(settings.paths),
        db=str(settings.db),
        default_region=settings.default_region,
        overrides_path=str(settings.overrides),
        dry_run=args.dry_run,
        pairs_per_partition=settings.pairs_per_partition,
    )
    if summary.error:
        raise CliError(summary.error)
    _print_summary(summary, quiet=args.quiet)
    return EXIT_OK


def _print_summary(summary: object, quiet: bool) -> None:
    from pipelines.sync_flow import SyncSummary

    assert isinstance(summary, SyncSummary)
    verb = "would write" if summary.status == "dry_run" else "wrote"
    _print(
        f"kith sync {summary.status}: {summary.files_parsed} file(s) read, "
        f"{summary.files_unchanged} unchanged, {summary.files_failed} failed, "
        f"{summary.files_unrecognised} unrecognised"
    )
    _print(
        f"  {summary.records} records ({summary.hidden_records} hidden profiles), "
        f"{summary.people} people, {summary.merges} merges, {summary.interactions} interactions"
    )
    if summary.changes:
        _print(
            "  changes: "
            + ", ".join(f"{count} {change}" for change, count in summary.changes.items())
        )
    else:
        _print("  changes: none")
    _print(f"  {verb} {summary.db_path} in {summary.seconds:.1f} s (run {summary.run_id})")
    if summary.issues and not quiet:
        _print(f"  {len(summary.issues)} problem(s):")
        for issue in summary.issues[:50]:
            where = f" row {issue.row}" if issue.row is not None else ""
            _print(f"   - {issue.source_file}{where}: {issue.message}")
        if len(summary.issues) > 50:
            _print(f"   ... and {len(summary.issues) - 50} more (see sync_runs.errors)")


def cmd_sql(args: argparse.Namespace) -> int:
    from pipelines.query import QueryError, format_result, run_read_only

    try:
        frame = run_read_only(Path(args.db), args.query)
    except QueryError as error:
        raise CliError(str(error)) from None
    sys.stdout.write(format_result(frame, args.format))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from pipelines.report import ReportError, write_report

    try:
        done = write_report(Path(args.db), Path(args.out))
    except ReportError as error:
        raise CliError(str(error)) from None
    _print(
        f"kith report: wrote {done.path} ({done.size_bytes / 1024:.0f} KB, {done.charts} charts, "
        f"{done.sections_missing} parts not available) in {done.seconds:.1f} s"
    )
    return EXIT_OK


def cmd_changes(args: argparse.Namespace) -> int:
    from pipelines.query import format_result
    from pipelines.warehouse import WarehouseError, read_query

    try:
        frame = read_query(Path(args.db), "queries/changes_for_run", {"run_id": args.run})
    except WarehouseError as error:
        raise CliError(str(error)) from None
    if frame.height == 0:
        _print("no changes recorded for that run")
        return EXIT_OK
    sys.stdout.write(format_result(frame, args.format))
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from pipelines.explain import ExplainError, explain_text
    from pipelines.warehouse import WarehouseError

    try:
        sys.stdout.write(explain_text(Path(args.db), args.identifier, args.region))
    except (ExplainError, WarehouseError) as error:
        raise CliError(str(error)) from None
    return EXIT_OK


def cmd_link(args: argparse.Namespace) -> int:
    from pipelines.overrides import OverridesError, append_link

    path = Path(args.overrides or os.environ.get("KITH_OVERRIDES", DEFAULT_OVERRIDES))
    try:
        append_link(path, args.a, args.b, must=args.command == "link")
    except (OverridesError, OSError) as error:
        raise CliError(f"{path}: {error}") from None
    kind = "must-link" if args.command == "link" else "cannot-link"
    _print(f"added a {kind} rule to {path}; it applies from the next 'kith sync'")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from pipelines.serve import ServeError, ServeOptions, serve

    def say(line: str) -> None:
        _print(line)
        sys.stdout.flush()

    options = ServeOptions(Path(args.db), args.host, args.port, args.token, args.allow_remote)
    try:
        serve(options, say=say)
    except ServeError as error:
        raise CliError(str(error)) from None
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from pipelines.export import ExportError, export

    try:
        written = export(Path(args.db), args.format, args.out)
    except ExportError as error:
        raise CliError(str(error)) from None
    where = "stdout" if written.path is None else str(written.path)
    skipped = (
        f" ({written.skipped} without name or contact details left out)" if written.skipped else ""
    )
    sys.stderr.write(f"kith export: wrote {written.count} people to {where}{skipped}\n")
    return EXIT_OK


def cmd_forget(args: argparse.Namespace) -> int:
    from pipelines.explain import ExplainError
    from pipelines.forget import forget
    from pipelines.transforms.resolve import ResolveConfig
    from pipelines.warehouse import WarehouseError

    try:
        person_id, records = forget(
            Path(args.db), args.identifier, ResolveConfig(default_region=args.region)
        )
    except (ExplainError, WarehouseError) as error:
        raise CliError(str(error)) from None
    _print(
        f"forgot {person_id}: {records} record(s) and their interactions deleted; "
        "their identifiers are kept only as salted hashes so later syncs skip them"
    )
    return EXIT_OK


def cmd_schedule(args: argparse.Namespace) -> int:
    settings = SyncSettings.from_cli(args.paths, args.db, args.overrides, args.region)
    from pipelines.schedule import ScheduleError, serve_schedule, validate_cron

    try:
        validate_cron(args.cron)
    except ScheduleError as error:
        raise CliError(str(error)) from None
    paths = [str(Path(p).expanduser().resolve()) for p in settings.paths]
    _print(f"kith schedule: syncing {len(paths)} path(s) on '{args.cron}'; Ctrl-C stops")
    try:
        serve_schedule(
            args.cron,
            paths,
            str(settings.db.resolve()),
            str(settings.overrides.resolve()),
            settings.default_region,
            args.prefect_port,
        )
    except ScheduleError as error:
        raise CliError(str(error)) from None
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kith", description="Your network, from your own exports, in DuckDB."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    db_help = f"database file (default {DEFAULT_DB}, or $KITH_DB)"

    sync = commands.add_parser("sync", help="read exports and update the database")
    sync.add_argument(
        "paths", nargs="*", help="export files, folders or zips (default: the bundled sample)"
    )
    sync.add_argument("--db", help=db_help)
    sync.add_argument(
        "--overrides", help="must-link / cannot-link file (default data/overrides.tsv)"
    )
    sync.add_argument(
        "--region", help="default phone region for numbers without a country code (default US)"
    )
    sync.add_argument(
        "--dry-run", action="store_true", help="report what would change, write nothing"
    )
    sync.add_argument("--quiet", action="store_true", help="print only the summary")
    sync.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run parsing and matching on a Dask cluster (or $KITH_DASK_ADDRESS)",
    )
    sync.set_defaults(handler=cmd_sync)

    schedule = commands.add_parser("schedule", help="run the sync on a cron schedule (Prefect)")
    schedule.add_argument("--cron", required=True, help='cron expression, e.g. "0 7 * * *"')
    schedule.add_argument(
        "paths", nargs="*", help="export files, folders or zips (default: the sample)"
    )
    schedule.add_argument("--db", help=db_help)
    schedule.add_argument("--overrides", help="must-link / cannot-link file")
    schedule.add_argument("--region", help="default phone region (default US)")
    schedule.add_argument(
        "--prefect-port", type=int, default=4200, help="local Prefect server port"
    )
    schedule.set_defaults(handler=cmd_schedule)

    sql = commands.add_parser("sql", help="run one read-only query")
    sql.add_argument("query")
    sql.add_argument("--db", default=os.environ.get("KITH_DB", str(DEFAULT_DB)), help=db_help)
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sql.set_defaults(handler=cmd_sql)

    report = commands.add_parser("report", help="write a self-contained HTML report (offline)")
    report.add_argument("--db", default=os.environ.get("KITH_DB", str(DEFAULT_DB)), help=db_help)
    report.add_argument(
        "--out", default="data/kith-report.html", help="HTML file (default %(default)s)"
    )
    report.set_defaults(handler=cmd_report)

    changes = commands.add_parser("changes", help="what a sync changed (default: the latest)")
    changes.add_argument("--run", help="run id from sync_runs (default: the latest successful run)")
    changes.add_argument("--db", default=os.environ.get("KITH_DB", str(DEFAULT_DB)), help=db_help)
    changes.add_argument("--format", choices=("table", "csv", "json"), default="table")
    changes.set_defaults(handler=cmd_changes)

    explain = commands.add_parser("explain", help="why a person is one person")
    explain.add_argument("identifier", help="person_id, e-mail, LinkedIn URL, @handle or phone")
    explain.add_argument("--db", default=os.environ.get("KITH_DB", str(DEFAULT_DB)), help=db_help)
    explain.add_argument("--region", default=os.environ.get("KITH_DEFAULT_REGION", "US"))
    explain.set_defaults(handler=cmd_explain)

    forget = commands.add_parser("forget", help="delete a person everywhere, for good")
    forget.add_argument("identifier", help="person_id, e-mail, LinkedIn URL, @handle or phone")
    forget.add_argument("--db", default=os.environ.get("KITH_DB", str(DEFAULT_DB)), help=db_help)
    forget.add_argument("--region", default=os.environ.get("KITH_DEFAULT_REGION", "US"))
    forget.set_defaults(handler=cmd_forget)

    for name, text in (
        ("link", "these two are the same person"),
        ("unlink", "these two are different people"),
    ):
        rule = commands.add_parser(name, help=f"record that {text} (kept in the overrides file)")
        rule.add_argument("a", help="person_id, e-mail, LinkedIn URL, @handle or phone")
        rule.add_argument("b", help="person_id, e-mail, LinkedIn URL, @handle or phone")
        rule.add_argument("--overrides", help=f"overrides file (default {DEFAULT_OVERRIDES})")
        rule.set_defaults(handler=cmd_link)

    serve = commands.add_parser("serve", help="serve the database read-only over DuckDB Quack")
    serve.add_argument("--db", default=os.environ.get("KITH_DB", str(DEFAULT_DB)), help=db_help)
    serve.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=9494, help="TCP port (default 9494)")
    serve.add_argument("--token", help="client token (default $KITH_SERVE_TOKEN, else random)")
    serve.add_argument(
        "--allow-remote", action="store_true", help="allow a non-loopback --host (use TLS)"
    )
    serve.set_defaults(handler=cmd_serve)

    export = commands.add_parser("export", help="write one contact per person to a file")
    export.add_argument("--format", choices=("google", "outlook", "vcard", "csv"), required=True)
    export.add_argument("--out", help="output file ('-' for stdout; default kith-export.<ext>)")
    export.add_argument("--db", default=os.environ.get("KITH_DB", str(DEFAULT_DB)), help=db_help)
    export.set_defaults(handler=cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)  # every file kith creates (database, ledger, overrides) is owner-only
    configure_environment()  # before polars or Prefect is imported
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except CliError as error:
        sys.stderr.write(f"kith {args.command}: {error}\n")
        return EXIT_FAILED
    except BrokenPipeError:  # output piped into `head`: not an error
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write(f"kith {args.command}: interrupted; the database is unchanged\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
