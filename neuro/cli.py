"""The ``neuro`` command line: the composition root.

Each sub-command parses its arguments, calls the library and prints; converters
(and through them torch) are imported lazily, only by the commands that need them.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["main", "build_parser"]


def _cmd_demo(args) -> int:
    from neuro.demo import run_demo

    return run_demo(out=args.out, quick=args.quick)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="neuro",
        description="Convert trained PyTorch networks to spiking networks, simulate them "
                    "event-driven on neuromorphic chip profiles, and report accuracy against energy.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser("demo", help="run the end-to-end demonstration (what `make demo` runs)")
    demo.add_argument("--out", default="reports/demo", help="folder for the demo's outputs")
    demo.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke test")
    demo.set_defaults(handler=_cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return 0
    try:
        return int(args.handler(args) or 0)
    except (ValueError, FileNotFoundError) as error:
        print(f"neuro {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
