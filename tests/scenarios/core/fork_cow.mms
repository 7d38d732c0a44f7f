# fork() copy-on-write of private anonymous memory: each side sees only its own
# writes; COW-shared pages count in Shared_*, Pss is split between the sharers.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "parent")
store($a+4K, "second")
smaps($a) = {Rss=8, Pss=8, Private_Dirty=8, Anonymous=8}
fork() = $c
[pid $c] getpid() = $c
# the child inherits the VMA and the contents
[pid $c] smaps($a) = {start=$a, end=$a+16K, perms="rw-p", VmFlags="rd wr mr mw me ac"}
[pid $c] load($a, 6) = "parent"
# both pages are shared by two processes now
smaps($a) = {Rss=8, Pss=4, Shared_Dirty=8, Private_Dirty=0, Anonymous=8}
[pid $c] smaps($a) = {Rss=8, Pss=4, Shared_Dirty=8, Anonymous=8}
# the child's write copies the page; the parent does not see it
[pid $c] store($a, "CHILD!")
load($a, 6) = "parent"
[pid $c] load($a, 6) = "CHILD!"
smaps($a) = {Rss=8, Pss=6, Shared_Dirty=4, Private_Dirty=4}
[pid $c] smaps($a) = {Rss=8, Pss=6, Shared_Dirty=4, Private_Dirty=4}
# and the parent's write is not seen by the child
store($a+4K, "PARENT")
[pid $c] load($a+4K, 6) = "second"
smaps($a) = {Rss=8, Pss=8, Private_Dirty=8}
# pages never touched before fork fault in independently on each side
[pid $c] store($a+8K, "c8")
load($a+8K, 2) = "\0\0"
[pid $c] smaps($a) = {Rss=12, Anonymous=12}
# the parent only read it: zero page, not counted
smaps($a) = {Rss=8, Anonymous=8}
# a grandchild shares with its parent (the child) only
[pid $c] fork() = $g
[pid $g] load($a, 6) = "CHILD!"
[pid $g] load($a+8K, 2) = "c8"
[pid $g] store($a+8K, "g8")
[pid $c] load($a+8K, 2) = "c8"
# after the child exits, the parent's pages are all private again
[pid $c] exit_group(0)
[pid $g] load($a+8K, 2) = "g8"
smaps($a) = {Rss=8, Pss=8, Shared_Dirty=0, Private_Dirty=8}
