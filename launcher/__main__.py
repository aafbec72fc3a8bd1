"""`python -m launcher`: run the whole local system (see launcher/run.py)."""

from launcher.run import main

raise SystemExit(main())
