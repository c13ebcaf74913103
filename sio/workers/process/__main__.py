"""``python -m sio.workers.process --build``: builds the program supervisor
ahead of the first job and prints its path (see :mod:`.supervisor`)."""

import sys

from sio.workers.process.supervisor import main

sys.exit(main())
