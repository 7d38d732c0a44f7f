# close/dup semantics around mappings: a mapping keeps its file alive after the
# fd is closed; dup'ed fds share one file; fork copies the fd table.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

memfd_create("life", 0) = 3
ftruncate(3, 8K) = 0
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, 3, 0) = $m
store($m, "alive")
# dup gives the lowest free number, sharing the same open file
dup(3) = 4
close(3) = 0
close(3) = -1 EBADF (Bad file descriptor)
ftruncate(3, 4K) = -1 EBADF (Bad file descriptor)
mmap(0x100000010000, 8K, PROT_READ, MAP_SHARED|MAP_FIXED_NOREPLACE, 3, 0) = -1 EBADF (Bad file descriptor)
# the mapping made through fd 3 and a new one made through fd 4 see the same pages
mmap(0x100000010000, 8K, PROT_READ, MAP_SHARED|MAP_FIXED_NOREPLACE, 4, 0) = $n
load($n, 5) = "alive"
smaps($n) = {name="/memfd:life (deleted)"}
# ftruncate through the dup affects the older mapping
ftruncate(4, 4K) = 0
load($m+4K, 1) = SIGBUS
# with every fd closed the file lives on in its mappings
close(4) = 0
load($m, 5) = "alive"
store($n, "x") = SIGSEGV
store($m, "still")
load($n, 5) = "still"
smaps($m) = {name="/memfd:life (deleted)", Rss=4}
# the freed numbers are reused
memfd_create("next", 0) = 3
dup(3) = 4
dup(99) = -1 EBADF (Bad file descriptor)
close(-1) = -1 EBADF (Bad file descriptor)
# the child gets a copy of the fd table: its ftruncate changes the shared file
ftruncate(3, 4K) = 0
mmap(0x100000020000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, 3, 0) = $p
fork() = $c
[pid $c] ftruncate(3, 8K) = 0
store($p+4K, "grown")
# closing in the child does not close the parent's fd
[pid $c] close(3) = 0
[pid $c] close(4) = 0
ftruncate(3, 8K) = 0
[pid $c] load($p+4K, 5) = "grown"
# dropping the last references (both mappings) frees the file
munmap($m, 8K) = 0
munmap($n, 8K) = 0
