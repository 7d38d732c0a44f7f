# Private anonymous memory: demand faults, the shared zero page, Rss/Anonymous.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
# nothing is populated by mmap itself; writable private -> VM_ACCOUNT ("ac")
smaps($a) = {start=$a, end=$a+16K, perms="rw-p", name="", Size=16, Rss=0, Anonymous=0, VmFlags="rd wr mr mw me ac"}
# reads fault in the shared zero page: they read zeros ...
load($a, 4) = "\0\0\0\0"
touch($a+4K, 4K, READ)
# ... and the zero page is not counted in Rss
smaps($a) = {Rss=0, Pss=0, Anonymous=0}
# a write on a zero-page pte does a COW fault: a private page appears
store($a, "hi")
smaps($a) = {Rss=4, Pss=4, Private_Dirty=4, Anonymous=4, Referenced=4}
load($a, 3) = "hi\0"
# a write to a never-touched page allocates directly
store($a+8K, 1, 0x41)
load($a+8K, 2) = "A\0"
smaps($a) = {Rss=8, Private_Dirty=8, Shared_Dirty=0, Anonymous=8}
# the page that was only read is still zero and still not resident
load($a+4K, 4) = "\0\0\0\0"
smaps($a) = {Rss=8}
# stores spanning a page boundary fault both pages
store($a+12K-2, "wxyz")
load($a+12K-2, 4) = "wxyz"
smaps($a) = {Rss=12, Anonymous=12}
# touch(WRITE) on the read-only-mapped zero page also COWs it
touch($a+4K, 4K, WRITE)
smaps($a) = {Rss=16, Anonymous=16}
# re-mapping with MAP_FIXED throws the old pages away
mmap($a, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = $a
smaps($a) = {start=$a, end=$a+16K, Rss=0, Anonymous=0}
load($a, 3) = "\0\0\0"
