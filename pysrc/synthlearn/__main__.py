"""``python -m synthlearn``: the command line (see :mod:`synthlearn.cli`)."""

import sys

from .cli import main

sys.exit(main())
