# The fork child inherits neither VM_LOCKED nor MCL_FUTURE; the parent's pages stay locked.
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mlock($a, 8K) = 0
mlockall(MCL_FUTURE) = 0
fork() = $c
[pid $c] smaps($a) = {Rss=8, Locked=0, VmFlags="rd wr mr mw me ac"}
[pid $c] status() = {VmLck=0}
[pid $c] mmap(0x100000100000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
[pid $c] smaps($b) = {Rss=0, Locked=0}
# Locked is proportional (PSS): the two pages are shared with the child
smaps($a) = {Rss=8, Pss=4, Locked=4, VmFlags="rd wr mr mw me lo ac"}
# the child's COW break gives it its own, unlocked page
[pid $c] store($a, "child")
[pid $c] smaps($a) = {Rss=8, Locked=0}
# the parent unlocks while the child still shares the second page
munlock($a, 8K) = 0
smaps($a) = {Rss=8, Locked=0}
[pid $c] mlock($a, 8K) = 0
[pid $c] smaps($a) = {Rss=8, Locked=8}
munlockall() = 0
validate()
