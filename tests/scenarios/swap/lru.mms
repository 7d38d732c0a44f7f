# LRU state as /proc/kpageflags shows it (pageflags(): needs root on the kernel). A new page waits in the CPU's
# lru_add batch (lru=0) until the batch drains; the page flags are read here right after calls that drain it
# (MADV_POPULATE_*, MADV_COLD, mlock), because on a real machine other processes fill the same batch. A second
# access through GUP activates a referenced page; MADV_COLD deactivates it and clears PG_referenced; mlock makes a
# page unevictable and inactive. Measured on 6.18.
mmap(0x100000000000, 256K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "a")
madvise($a, 4K, MADV_POPULATE_WRITE) = 0
pageflags($a) = {lru=1, active=0, referenced=1, anon=1, swapbacked=1, swapcache=0, mlocked=0, mmap=1, zero=0}
madvise($a, 4K, MADV_POPULATE_WRITE) = 0
pageflags($a) = {lru=1, active=1, referenced=0, anon=1, swapbacked=1, swapcache=0, mlocked=0, mmap=1, zero=0}
madvise($a, 4K, MADV_POPULATE_WRITE) = 0
pageflags($a) = {lru=1, active=1, referenced=1, anon=1, swapbacked=1, swapcache=0, mlocked=0, mmap=1, zero=0}
madvise($a+4K, 4K, MADV_POPULATE_WRITE) = 0
pageflags($a+4K) = {lru=1, active=0, referenced=1, anon=1, swapbacked=1, swapcache=0, mlocked=0, mmap=1, zero=0}
madvise($a+4K, 4K, MADV_POPULATE_WRITE) = 0
pageflags($a+4K) = {lru=1, active=1, referenced=0, anon=1, swapbacked=1, swapcache=0, mlocked=0, mmap=1, zero=0}
madvise($a, 4K, MADV_COLD) = 0
pageflags($a) = {lru=1, active=1, referenced=0, anon=1, swapbacked=1, swapcache=0, mlocked=0, mmap=1, zero=0}
madvise($a+8K, 4K, MADV_COLD) = 0
pageflags($a) = {lru=1, active=0, referenced=0, anon=1, swapbacked=1, swapcache=0, mlocked=0, mmap=1, zero=0}
madvise($a, 4K, MADV_POPULATE_READ) = 0
pageflags($a) = {lru=1, active=0, referenced=1, anon=1, swapbacked=1, swapcache=0, mlocked=0, mmap=1, zero=0}
madvise($a, 4K, MADV_POPULATE_READ) = 0
pageflags($a) = {lru=1, active=1, referenced=0, anon=1, swapbacked=1, swapcache=0, mlocked=0, mmap=1, zero=0}
mlock($a+4K, 4K) = 0
pageflags($a+4K) = {lru=1, active=0, referenced=1, anon=1, swapbacked=1, swapcache=0, mlocked=1, mmap=1, zero=0}
munlock($a+4K, 4K) = 0
pageflags($a+4K) = {lru=1, active=0, referenced=1, anon=1, swapbacked=1, swapcache=0, mlocked=0, mmap=1, zero=0}
madvise($a+4K, 4K, MADV_POPULATE_READ) = 0
pageflags($a+4K) = {lru=1, active=1, referenced=0, anon=1, swapbacked=1, swapcache=0, mlocked=0, mmap=1, zero=0}
# MADV_FREE: lazyfree folios are no longer swap-backed (and sit on the inactive file list).
store($a+12K, 8K, 1)
madvise($a+12K, 8K, MADV_FREE) = 0
madvise($a+8K, 4K, MADV_COLD) = 0
pageflags($a+12K) = {lru=1, active=0, referenced=0, anon=1, swapbacked=0, swapcache=0, mlocked=0, mmap=1, zero=0}
store($a+12K, "x")
pageflags($a+12K) = {lru=1, active=0, referenced=0, anon=1, swapbacked=0, swapcache=0, mlocked=0, mmap=1, zero=0}
# The zero page, and nothing mapped.
load($a+100K, 1) = "\0"
pageflags($a+100K) = {lru=0, active=0, referenced=0, anon=0, swapbacked=0, swapcache=0, mlocked=0, mmap=0, zero=1}
pageflags($a+104K) = NULL
