"""``python -m synthlearn``: the command line (see :mod:`synthlearn.app.cli`)."""

import sys

from .app.cli import main

sys.exit(main())
