"""`python -m karavan ...`: the karavan command, for an environment whose scripts folder is not on PATH."""

import sys

from karavan.cli import main

sys.exit(main())
