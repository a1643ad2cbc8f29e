import sys

from shareimg.consumer.cli import main

sys.exit(main())
