# MADV_PAGEOUT of shmem (memfd) pages mapped once: a dirty page moves from the page cache to a swap slot that the
# file keeps (smaps Swap of every VMA mapping it, SwapPss 0, not VmSwap; pagemap present=0 swapped=0); a clean page
# (read in, never written) is dropped and reads as zeros again; a page mapped twice, or not mapped, stays. Faults,
# truncation and MADV_REMOVE bring swapped pages back or free their slots. Measured on 6.18.
swapon_file(64M) = 0
sysctl("vm.page-cluster", 0) = 0
mmap(0x100000300000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $v
memfd_create("m", 0) = $fd
ftruncate($fd, 32K) = 0
mmap(0x100000000000, 32K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $s
store($s, "dirty")
load($s+4K, 1) = "\0"
store($s+8K, 4K, 0)
store($s+12K, "x")
madvise($s+12K, 4K, MADV_DONTNEED) = 0
madvise($s, 32K, MADV_PAGEOUT) = 0
smaps($s) = {Size=32, Swap=8, VmFlags="rd wr sh mr mw me ms"}
status() = {VmSwap=0}
swapinfo() = {SwapTotal=65532, SwapFree=65524, SwapCached=4}
mincore($s, 32K, $v) = 0
load($v, 8) = "\x01\0\0\x01\0\0\0\0"
pagemap($s) = {present=0, swapped=0, file=0, exclusive=0, soft_dirty=0, uffd_wp=0, guard=0}
load($s, 5) = "dirty"
load($s+12K, 1) = "x"
smaps($s) = {Size=32, Rss=8, Pss=8, Pss_Dirty=8, Private_Dirty=8, Referenced=8, Swap=4, VmFlags="rd wr sh mr mw me ms"}
mincore($s, 32K, $v) = 0
load($v, 8) = "\x01\0\0\x01\0\0\0\0"
swapinfo() = {SwapTotal=65532, SwapFree=65528, SwapCached=0}
mmap(0x100000200000, 32K, PROT_READ, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $t
smaps($t) = {Size=32, Swap=4, VmFlags="rd sh mr mw me ms"}
munmap($t, 32K) = 0
munmap($s, 32K) = 0
close($fd) = 0
swapinfo() = {SwapTotal=65532, SwapFree=65532, SwapCached=0}
# A private mapping's COW copies are anonymous; the file's pages it still maps count twice and stay.
memfd_create("n", 0) = $fd2
ftruncate($fd2, 64K) = 0
mmap(0x100000000000, 64K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd2, 0) = $s
store($s, 64K, 0x5a)
mmap(0x100000100000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $fd2, 16K) = $p
store($p, "cow")
load($p+4K, 1) = "Z"
madvise($s, 64K, MADV_PAGEOUT) = 0
smaps($s) = {Size=64, Rss=28, Pss=14, Pss_Dirty=14, Shared_Dirty=28, Referenced=28, Swap=36, VmFlags="rd wr sh mr mw me ms"}
smaps($p) = {Size=32, Rss=32, Pss=18, Pss_Dirty=18, Shared_Dirty=28, Private_Dirty=4, Referenced=32, Anonymous=4, VmFlags="rd wr mr mw me ac"}
madvise($p, 32K, MADV_PAGEOUT) = 0
smaps($p) = {Size=32, Rss=28, Pss=14, Pss_Dirty=14, Shared_Dirty=28, Referenced=28, Swap=4, SwapPss=4, VmFlags="rd wr mr mw me ac"}
smaps($s) = {Size=64, Rss=28, Pss=14, Pss_Dirty=14, Shared_Dirty=28, Referenced=28, Swap=36, VmFlags="rd wr sh mr mw me ms"}
madvise($s, 64K, MADV_PAGEOUT) = 0
smaps($s) = {Size=64, Rss=28, Pss=14, Pss_Dirty=14, Shared_Dirty=28, Referenced=28, Swap=36, VmFlags="rd wr sh mr mw me ms"}
smaps($p) = {Size=32, Rss=28, Pss=14, Pss_Dirty=14, Shared_Dirty=28, Referenced=28, Swap=4, SwapPss=4, VmFlags="rd wr mr mw me ac"}
load($p, 4) = "cowZ"
load($p+4K, 2) = "ZZ"
smaps($p) = {Size=32, Rss=32, Pss=18, Pss_Dirty=14, Shared_Dirty=28, Private_Clean=4, Referenced=32, Anonymous=4, VmFlags="rd wr mr mw me ac"}
smaps($s) = {Size=64, Rss=28, Pss=14, Pss_Dirty=14, Shared_Dirty=28, Referenced=28, Swap=36, VmFlags="rd wr sh mr mw me ms"}
madvise($s+48K, 8K, MADV_REMOVE) = 0
smaps($s) = {Size=64, Rss=28, Pss=14, Pss_Dirty=14, Shared_Dirty=28, Referenced=28, Swap=28, VmFlags="rd wr sh mr mw me ms"}
ftruncate($fd2, 20K) = 0
smaps($s) = {Size=64, Swap=20, VmFlags="rd wr sh mr mw me ms"}
swapinfo() = {SwapTotal=65532, SwapFree=65508, SwapCached=24}
load($s+16K, 4) = "ZZZZ"
mincore($s, 20K, $v) = 0
load($v, 5) = "\x01\x01\x01\x01\x01"
fork() = $c
[pid $c] load($s, 2) = "ZZ"
[pid $c] smaps($s) = {Size=64, Rss=8, Pss=6, Pss_Dirty=6, Shared_Dirty=4, Private_Dirty=4, Referenced=8, Swap=12, VmFlags="rd wr sh mr mw me ms"}
munmap($s, 64K) = 0
munmap($p, 32K) = 0
close($fd2) = 0
[pid $c] exit(0)
swapinfo() = {SwapTotal=65532, SwapFree=65532, SwapCached=0}
