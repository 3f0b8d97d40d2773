"""``python -m config_ui.web DEMO [options]``: the same as ``python -m config_ui DEMO --web``."""

from __future__ import annotations

import sys

from config_ui.__main__ import main

if __name__ == "__main__":
    sys.exit(main(["--web", *sys.argv[1:]]))
