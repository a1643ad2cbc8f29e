import sys

from shareimg.bridge.main import bridge

sys.exit(bridge())
