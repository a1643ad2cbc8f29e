import sys

from shareimg.provider.cli import main

sys.exit(main())
