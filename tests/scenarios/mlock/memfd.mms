# mlock of shared memory: the page cache pages are locked. Populating past the end of a memfd fails (GUP's
# SIGBUS becomes EFAULT, which mlock reports as ENOMEM), but the VMA stays locked; pages faulted in later lock.
memfd_create("lock", 0) = $fd
ftruncate($fd, 8K) = 0
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $a
mlock($a, 16K) = -1 ENOMEM (Cannot allocate memory)
smaps($a) = {Rss=8, Shared_Clean=0, Locked=8, VmFlags="rd wr sh mr mw me ms lo"}
status() = {VmLck=16}
store($a+12K, "x") = SIGBUS
# a private mapping of the same file: read faults map the page cache pages, locked too
mmap(0x100000100000, 8K, PROT_READ, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $fd, 0) = $b
mlock2($b, 8K, MLOCK_ONFAULT) = 0
smaps($b) = {Rss=0, Locked=0}
load($b, 1) = "\0"
smaps($b) = {Rss=8, Locked=4}
# unlocking the shared mapping leaves the pages the private one still maps locked there
munlock($a, 16K) = 0
smaps($a) = {Rss=8, Locked=0}
smaps($b) = {Rss=8, Locked=4}
munmap($b, 8K) = 0
status() = {VmLck=0}
validate()
