"""``python -m syndata_export`` is the same as the ``syndata-export`` command."""

from syndata_export.cli import main

raise SystemExit(main())
