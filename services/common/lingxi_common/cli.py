"""The `lingxi` command: one entry point for operators, developers and the Helm jobs.

Each sub-command lives in the module that owns its behaviour; this file only parses arguments
and dispatches, so other issues add commands by adding one `add_parser` block.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from collections.abc import Sequence

from lingxi_common.settings import SERVICE_NAMES

DEPLOYABLES: tuple[str, ...] = (*SERVICE_NAMES, "gateway")


def _cmd_up(args: argparse.Namespace) -> int:
    from lingxi_common.runtime.up import run_platform

    return run_platform(data_dir=args.data_dir, demo_customers=args.demo_customers, only=args.only or None)


def _cmd_serve(args: argparse.Namespace) -> int:
    module = importlib.import_module(
        "lingxi_gateway.main" if args.name == "gateway" else f"lingxi_{args.name}.main"
    )
    result: int = module.main()
    return result


def _cmd_migrate(args: argparse.Namespace) -> int:
    from lingxi_common.migrations import migrate_services

    names = args.services or list(SERVICE_NAMES)
    unknown = sorted(set(names) - set(SERVICE_NAMES))
    if unknown:
        sys.stderr.write(
            f"unknown service(s): {', '.join(unknown)}; choose from {', '.join(SERVICE_NAMES)}\n"
        )
        return 2
    asyncio.run(migrate_services(names))
    return 0


def _cmd_provision(args: argparse.Namespace) -> int:
    from lingxi_common.streams import provision_from_settings

    asyncio.run(provision_from_settings())
    return 0


def _cmd_dlq(args: argparse.Namespace) -> int:
    from lingxi_common.dlq import run_cli

    return run_cli(args.action, args.consumer, args.seq or [], args.limit)


def _demo_data(argv: list[str]) -> int:
    from lingxi_tag.demo import demo_data_main

    return demo_data_main(argv)


def _cmd_token(args: argparse.Namespace) -> int:
    from lingxi_gateway.auth.dev_issuer import issue_cli_token

    print(
        issue_cli_token(
            role=args.role,
            subject=args.subject,
            branch_id=args.branch,
            advisor_id=args.advisor,
            customer_id=args.customer,
            ttl_seconds=args.ttl,
        )
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lingxi", description="Lingxi marketing-operations platform")
    commands = parser.add_subparsers(dest="command", required=True)

    up = commands.add_parser("up", help="start the whole platform locally with embedded PostgreSQL and NATS")
    up.add_argument("--data-dir", default=".lingxi", help="where embedded servers keep data and logs")
    up.add_argument("--demo-customers", type=int, default=100_000, help="demo customers to load (0 = none)")
    up.add_argument(
        "--only", nargs="*", choices=[*DEPLOYABLES, "simulators"], help="start only these deployables"
    )
    up.set_defaults(handler=_cmd_up)

    serve = commands.add_parser("serve", help="run one deployable in the foreground (what containers run)")
    serve.add_argument("name", choices=DEPLOYABLES)
    serve.set_defaults(handler=_cmd_serve)

    migrate = commands.add_parser("migrate", help="apply every service's Alembic migrations")
    migrate.add_argument("services", nargs="*", help=f"default: all of {', '.join(SERVICE_NAMES)}")
    migrate.set_defaults(handler=_cmd_migrate)

    provision = commands.add_parser("provision-streams", help="declare JetStream streams and consumers")
    provision.set_defaults(handler=_cmd_provision)

    dlq = commands.add_parser("dlq", help="inspect and replay dead-lettered messages")
    dlq.add_argument("action", choices=["list", "replay"])
    dlq.add_argument("--consumer", default=None, help="only this consumer's dead letters (list)")
    dlq.add_argument("--seq", type=int, nargs="*", help="DEAD_LETTERS stream sequences to replay")
    dlq.add_argument("--limit", type=int, default=100)
    dlq.set_defaults(handler=_cmd_dlq)

    # Listed for help only: main() hands its arguments to the tag service's own parser.
    commands.add_parser(
        "demo-data",
        help="generate and bulk-load synthetic customers, accounts and holdings (--customers N --seed S)",
    )

    token = commands.add_parser("token", help="print a development JWT from the local issuer")
    token.add_argument("--role", required=True)
    token.add_argument("--subject", default=None)
    token.add_argument("--branch", default=None)
    token.add_argument("--advisor", default=None)
    token.add_argument("--customer", default=None)
    token.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds")
    token.set_defaults(handler=_cmd_token)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["demo-data"]:
        return _demo_data(arguments[1:])
    args = build_parser().parse_args(arguments)
    result: int = args.handler(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
