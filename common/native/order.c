/* Release stores, acquire loads and fences on shared memory, for shareimg/native/order.py (ctypes).

   Python has no ordered memory access of its own: struct and memoryview copy bytes with memcpy,
   which the processor may reorder (aarch64) and struct.pack_into even writes as two stores (zeros,
   then the value).  Each function here is one C11 atomic builtin on an aligned word: on x86-64 the
   load and store are a plain mov and the fences no instruction at all (TSO); on aarch64 they are
   stlr, ldar (or ldapr) and dmb.  No Python API: this is a plain shared library. */
#include <stdint.h>

/* One 8-byte store; every load and store before it in this thread is visible first. */
void store_release_u64(void *at, uint64_t value) { __atomic_store_n((uint64_t *)at, value, __ATOMIC_RELEASE); }

/* One 8-byte load; every load and store after it in this thread happens after it. */
uint64_t load_acquire_u64(const void *at) { return __atomic_load_n((const uint64_t *)at, __ATOMIC_ACQUIRE); }

/* Loads and stores before it are ordered before the stores after it. */
void fence_release(void) { __atomic_thread_fence(__ATOMIC_RELEASE); }

/* Loads before it are ordered before the loads and stores after it. */
void fence_acquire(void) { __atomic_thread_fence(__ATOMIC_ACQUIRE); }
