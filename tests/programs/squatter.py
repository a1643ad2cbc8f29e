"""A hostile neighbour: another local user makes a key's files in $TMPDIR first, and leaves.

python squatter.py semaphore KEY MODE         the lock's key file, and a semaphore at 0 behind it (MODE: octal)
python squatter.py semaphore-behind KEY MODE  only a semaphore at 0, behind a lock's key file already there
python squatter.py segment-file KEY           the segment's key file
python squatter.py link KEY                   a link to nowhere where the segment's key file goes

Run as that user (tests/other_users.py: setpriv, with an interpreter every user can run).  Prints the
semaphore's id, or "made", and exits: what it made stays, as it would after a squatter logged out.
"""

from __future__ import annotations

import os
import sys

from shareimg.native import libc
from shareimg.transport.keys import key_file, semaphore_key_file, sysv_key

what, key = sys.argv[1], sys.argv[2]
segment_file = key_file(key)
lock_file = semaphore_key_file(segment_file)
if what in ("semaphore", "semaphore-behind"):
    if what == "semaphore":
        os.close(os.open(lock_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    sem_key = sysv_key(lock_file)
    assert sem_key is not None, f"no key file {lock_file}"
    # A new semaphore is 0 on Linux: taken, and nobody will ever give it back.
    semid = libc.semget(sem_key, 1, libc.IPC_CREAT | 0o2000 | int(sys.argv[3], 8))  # 0o2000: IPC_EXCL
    assert semid != -1, libc.last_error()
    print(semid, flush=True)
elif what == "segment-file":
    os.close(os.open(segment_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    print("made", flush=True)
elif what == "link":
    os.symlink("/nonexistent/shareimg-squatter", segment_file)
    print("made", flush=True)
else:
    sys.exit(f"squatter: unknown {what!r}")
