# shared-memory.mms: one memfd, two mappings and a child process, all seeing the same pages.
#
# memfd_create() makes an anonymous shmem file; every MAP_SHARED mapping of it shares its page cache,
# and fork() keeps sharing it. Private mappings of the same file copy a page on their first write.

memfd_create("heap", 0) = $fd
ftruncate($fd, 16K) = 0
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $a
mmap(0x100000100000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $b

# A store through one mapping is seen through the other: both map the same page-cache page.
store($a+4K, "written via a")
load($b+4K, 13) = "written via a"
smaps($a) = {name="/memfd:heap (deleted)", perms="rw-s", Rss=4, Anonymous=0, VmFlags="rd wr sh mr mw me ms"}

# A read of $b's first page maps nothing new: it allocates a shmem page (not the zero page), and
# fault-around maps the already-cached page next to it too.
touch($b, 1, READ)
smaps($b) = {Rss=8}

# A private mapping of the same file reads the shared data, but its first store copies the page.
mmap(0x100000200000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $fd, 0) = $p
load($p+4K, 13) = "written via a"
store($p+4K, "private copy")
load($a+4K, 13) = "written via a"
smaps($p) = {Anonymous=4}

# The mappings outlive the fd.
close($fd) = 0
load($a+4K, 13) = "written via a"

# A child shares the pages: its store is visible to the parent. fork() does not copy the page tables
# of shared mappings (the child faults them in again), so the child starts with Rss 0 there.
fork() = $c
[pid $c] smaps($a) = {Rss=0}
[pid $c] store($a+4K, "written via c")
load($b+4K, 13) = "written via c"

[pid $c] exit_group(0)

# Beyond the end of the file there are no pages: SIGBUS, not SIGSEGV.
mmap(0x100000300000, 32K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $s
store($s+28K, "shared anonymous memory is shmem too")
smaps($s) = {name="/dev/zero (deleted)", Rss=4}
