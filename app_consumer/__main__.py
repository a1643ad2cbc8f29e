import sys

from shareimg.consumer.main import consumer

sys.exit(consumer())
