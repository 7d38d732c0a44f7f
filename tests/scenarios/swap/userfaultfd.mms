# Swap entries and userfaultfd: UFFDIO_WRITEPROTECT marks swap entries too (_PAGE_SWP_UFFD_WP), and the page faults
# back in protected; mremap and mprotect move and keep swap entries; UFFDIO_MOVE moves an exclusive swapped-out page
# (its swap entry) and refuses a shared one. Measured on 6.18.
swapon_file(64M) = 0
sysctl("vm.page-cluster", 0) = 0
mmap(0x100000000000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, 32K, 0x61)
madvise($a, 16K, MADV_PAGEOUT) = 0
userfaultfd(O_NONBLOCK|UFFD_USER_MODE_ONLY) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0 => features=...}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=32K}, mode=UFFDIO_REGISTER_MODE_WP|UFFDIO_REGISTER_MODE_MISSING, ioctls=...}) = 0
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=32K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = 0
pagemap($a) = {present=0, swapped=1, file=0, exclusive=0, soft_dirty=0, uffd_wp=1, guard=0}
pagemap($a+16K) = {present=1, swapped=0, file=0, exclusive=1, soft_dirty=0, uffd_wp=1, guard=0}
load($a, 1) = "a"
pagemap($a) = {present=1, swapped=0, file=0, exclusive=1, soft_dirty=0, uffd_wp=1, guard=0}
madvise($a+4K, 4K, MADV_PAGEOUT) = 0
pagemap($a+4K) = {present=0, swapped=1, file=0, exclusive=0, soft_dirty=0, uffd_wp=1, guard=0}
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=32K}, mode=0}) = 0
pagemap($a+4K) = {present=0, swapped=1, file=0, exclusive=0, soft_dirty=0, uffd_wp=0, guard=0}
pagemap($a+8K) = {present=0, swapped=1, file=0, exclusive=0, soft_dirty=0, uffd_wp=0, guard=0}
store($a+8K, "w")
smaps($a) = {Size=32, Rss=24, Pss=24, Pss_Dirty=20, Private_Clean=4, Private_Dirty=20, Referenced=24, Anonymous=24, Swap=8, SwapPss=8, VmFlags="rd wr mr mw me um uw ac"}
mmap(0x100000100000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
mremap($a, 32K, 32K, MREMAP_MAYMOVE|MREMAP_FIXED, $b) = $b
smaps($b) = {Size=32, Rss=24, Pss=24, Pss_Dirty=20, Private_Clean=4, Private_Dirty=20, Referenced=24, Anonymous=24, Swap=8, SwapPss=8, VmFlags="rd wr mr mw me ac"}
pagemap($b+12K) = {present=0, swapped=1, file=0, exclusive=0, soft_dirty=0, uffd_wp=0, guard=0}
load($b+12K, 1) = "a"
mprotect($b, 32K, PROT_READ) = 0
smaps($b) = {Size=32, Rss=28, Pss=28, Pss_Dirty=20, Private_Clean=8, Private_Dirty=20, Referenced=28, Anonymous=28, Swap=4, SwapPss=4, VmFlags="rd mr mw me ac"}
load($b+4K, 1) = "a"
mprotect($b, 32K, PROT_READ|PROT_WRITE) = 0
store($b+4K, "x")
smaps($b) = {Size=32, Rss=32, Pss=32, Pss_Dirty=24, Private_Clean=8, Private_Dirty=24, Referenced=32, Anonymous=32, VmFlags="rd wr mr mw me ac"}
# UFFDIO_MOVE of swapped-out pages
mmap(0x100000200000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $m
store($m, 16K, 0x62)
madvise($m, 16K, MADV_PAGEOUT) = 0
mmap(0x100000300000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $d
ioctl($u, UFFDIO_REGISTER, {range={start=$d, len=16K}, mode=UFFDIO_REGISTER_MODE_MISSING, ioctls=...}) = 0
ioctl($u, UFFDIO_MOVE, {dst=$d, src=$m, len=4K, mode=0, move=...}) = 0
smaps($m) = {Size=16, Swap=12, SwapPss=12, VmFlags="rd wr mr mw me ac"}
smaps($d) = {Size=16, Swap=4, SwapPss=4, VmFlags="rd wr mr mw me um ac"}
pagemap($d) = {present=0, swapped=1, file=0, exclusive=0, soft_dirty=0, uffd_wp=0, guard=0}
load($d, 1) = "b"
fork() = $c
ioctl($u, UFFDIO_MOVE, {dst=$d+4K, src=$m+4K, len=4K, mode=0, move=...}) = -1 EBUSY (Device or resource busy)
[pid $c] exit(0)
ioctl($u, UFFDIO_MOVE, {dst=$d+8K, src=$m+8K, len=4K, mode=0, move=...}) = -1 EBUSY (Device or resource busy)
