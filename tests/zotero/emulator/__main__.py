"""Run the emulator for a demo: `python -m tests.zotero.emulator --port 8085 --group 4242 --key KEY`."""

from __future__ import annotations

import argparse

from tests.zotero.emulator.server import ZoteroEmulator, serve_forever


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.zotero.emulator", description=__doc__)
    parser.add_argument("--port", type=int, default=8085, help="port on 127.0.0.1 (0 = any free port)")
    parser.add_argument("--group", type=int, default=4242, help="group library ID")
    parser.add_argument("--key", default="RWKEY0000000000000000000", help="read/write API key")
    parser.add_argument("--read-only-key", default="ROKEY0000000000000000000", help="read-only API key")
    parser.add_argument(
        "--schema-version", type=int, default=41, help="serve an older schema (e.g. 32: citationKey on preprints only)"
    )
    parser.add_argument("--backoff", type=int, help="send 'Backoff: N' on every response")
    parser.add_argument("--random-faults", type=int, metavar="SEED", help="seeded random 429/503/drops")
    parser.add_argument("--fault-rate", type=float, default=0.2, help="probability per request (with --random-faults)")
    parser.add_argument("--retry-after", type=int, default=1, help="Retry-After seconds for random faults")
    args = parser.parse_args(argv)
    emulator = ZoteroEmulator(
        port=args.port,
        group_id=args.group,
        api_key=args.key,
        read_only_key=args.read_only_key,
        schema_version=args.schema_version,
    )
    if args.backoff is not None:
        emulator.set_backoff(args.backoff)
    if args.random_faults is not None:
        emulator.random_faults(args.random_faults, args.fault_rate, retry_after=args.retry_after)
    serve_forever(emulator)


if __name__ == "__main__":
    main()
