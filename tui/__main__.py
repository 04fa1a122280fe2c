"""`python -m tui` runs the same command line as `backrelief`."""

from tui.cli import main

raise SystemExit(main())
