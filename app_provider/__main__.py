import sys

from shareimg.provider.main import provider

sys.exit(provider())
