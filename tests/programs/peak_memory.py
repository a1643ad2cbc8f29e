"""Run a command and say how much memory it took at its peak: python peak_memory.py COMMAND ARGS...

Passes the command's output through, then prints ``peak_rss_kib=N`` as the last
line of stdout and exits with the command's exit code.  The command is this
process's only child, so RUSAGE_CHILDREN's peak is its own.
"""

from __future__ import annotations

import resource
import subprocess
import sys

completed = subprocess.run(sys.argv[1:], check=False)
print(f"peak_rss_kib={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}", flush=True)
sys.exit(completed.returncode)
