# memfd: several MAP_SHARED views of one file, MAP_PRIVATE COW over it, fork, merging.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

memfd_create("shared", 0) = $fd
ftruncate($fd, 8K) = 0
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $m
mmap(0x100000010000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $n
# a view of only the second page
mmap(0x100000020000, 4K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 4K) = $o
mmap(0x100000030000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $fd, 0) = $p
smaps($m) = {perms="rw-s", name="/memfd:shared (deleted)", VmFlags="rd wr sh mr mw me ms"}
# a private writable file mapping is accounted ("ac") and has no "sh"/"ms"
smaps($p) = {perms="rw-p", name="/memfd:shared (deleted)", Rss=0, VmFlags="rd wr mr mw me ac"}
store($m, "one")
load($n, 3) = "one"
store($n+4K, "two")
load($o, 3) = "two"
# the private mapping reads the file's pages (page cache, not anonymous)
load($p, 3) = "one"
load($p+4K, 3) = "two"
smaps($p) = {Rss=8, Anonymous=0}
# the first write to the private mapping copies the page: now one anonymous page
store($p, "PRI")
smaps($p) = {Rss=8, Anonymous=4}
load($m, 3) = "one"
# the COWed page no longer follows the file ...
store($m, "ONE")
load($p, 3) = "PRI"
# ... but a page the private mapping has only read still does
store($m+4K, "TWO")
load($p+4K, 3) = "TWO"
# fork: the child shares the file pages, and the parent's private copy is COW again
fork() = $c
[pid $c] load($n, 3) = "ONE"
[pid $c] store($n, "kid")
load($m, 3) = "kid"
[pid $c] store($p, "cpr")
load($p, 3) = "PRI"
[pid $c] load($p, 3) = "cpr"
# adjacent MAP_SHARED mappings of the same file at contiguous offsets merge into one VMA
mmap($m+8K, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 8K) = $m+8K
vma_count($m, $m+16K) = 1
smaps($m) = {start=$m, end=$m+16K, Size=16}
# non-contiguous offsets do not merge
mmap($n+8K, 4K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $n+8K
vma_count($n, $n+12K) = 2
