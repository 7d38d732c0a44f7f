# Accesses past the end of a memfd raise SIGBUS; ftruncate shrinking drops pages
# (also private COW copies); ftruncate argument checks.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

memfd_create("trunc", 0) = $fd
# mapping a size-0 file is allowed; touching it is not
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $m
load($m, 1) = SIGBUS
ftruncate($fd, 8K) = 0
store($m, "a")
store($m+4K, "b")
# page index >= DIV_ROUND_UP(size, 4K): SIGBUS, for reads and writes
store($m+8K, "c") = SIGBUS
load($m+12K, 1) = SIGBUS
smaps($m) = {Size=16, Rss=8}
# shrinking unmaps and frees the pages beyond the new size
ftruncate($fd, 4K) = 0
smaps($m) = {Size=16, Rss=4}
load($m, 1) = "a"
load($m+4K, 1) = SIGBUS
# a partial last page is fully accessible; data that was truncated away is gone
ftruncate($fd, 4K+1) = 0
load($m+4K, 1) = "\0"
# a store past EOF inside the last (partial) page is not an error ...
store($m+4K+100, "z")
# ... and growing the file does not zero it again
ftruncate($fd, 16K) = 0
load($m+4K+100, 1) = "z"
load($m+12K, 1) = "\0"
# a MAP_PRIVATE mapping of the file also gets SIGBUS past EOF
mmap(0x100000010000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $fd, 0) = $p
ftruncate($fd, 4K) = 0
load($p+4K, 1) = SIGBUS
# even a private COW copy is discarded when the file is truncated below it
store($p, "q")
smaps($p) = {Rss=4, Anonymous=4}
ftruncate($fd, 0) = 0
smaps($p) = {Rss=0, Anonymous=0}
load($p, 1) = SIGBUS
load($m, 1) = SIGBUS
# ftruncate checks: negative length is EINVAL, checked before the fd
ftruncate($fd, -1) = -1 EINVAL (Invalid argument)
ftruncate(99, 0) = -1 EBADF (Bad file descriptor)
ftruncate(99, -1) = -1 EINVAL (Invalid argument)
