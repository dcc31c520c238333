"""Run a command against the fake sources: `python -m tests.sources.fakes syndata-export add 2406.18966 …`.

The fakes serve the 14 shipped papers (and a decoy) on 127.0.0.1, every ``SYNDATA_*_URL`` points at
them for the command, and the disk cache goes to a temporary folder, so a demo neither reaches the
internet nor leaves a cache behind. The command's exit status is this one's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from tests.sources.fakes.server import SOURCES, FakeSources


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    fake = FakeSources().start()
    try:
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "SYNDATA_CACHE_DIR": cache}
            env.update({f"SYNDATA_{source.upper()}_URL": fake.url(source) for source in SOURCES})
            return subprocess.run(argv, env=env, check=False).returncode
    finally:
        fake.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
