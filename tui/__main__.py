"""`python -m tui` runs the same command line as `backrelief`."""

from tui.launcher import main

raise SystemExit(main())
