# UFFDIO_MOVE: anonymous pages move within the context's own mm, the frame remapped, not copied. No
# UFFD_FEATURE_MOVE is needed. Measured on 6.18: docs/kernel-notes-userfaultfd-events.md, section 7.
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $dst
mmap(0x100000100000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $src
mmap(0x100000200000, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $ro
store($src, "page0")
store($src+4K, "page1")
load($src+8K, 1) = "\0"
store($src+16K, "page4")
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
thread() = $t

# The dst VMA must be registered with this uffd.
ioctl($u, UFFDIO_MOVE, {dst=$dst, src=$src, len=4K, mode=0, move=-22}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_REGISTER, {range={start=$dst, len=16K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
# Range and mode checks leave move alone; lookups are ENOENT, VMA checks EINVAL.
ioctl($u, UFFDIO_MOVE, {dst=$dst+1, src=$src, len=4K, mode=0, move=0}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_MOVE, {dst=$dst, src=$src, len=0, mode=0, move=0}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_MOVE, {dst=$dst, src=$src, len=4K, mode=4, move=0}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_MOVE, {dst=$dst, src=0x100000300000, len=4K, mode=0, move=-2}) = -1 ENOENT (No such file or directory)
ioctl($u, UFFDIO_MOVE, {dst=$dst, src=$ro, len=4K, mode=0, move=-22}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_MOVE, {dst=$dst+8K, src=$src, len=16K, mode=0, move=-22}) = -1 EINVAL (Invalid argument)

# Two pages: the frames move, RSS goes with them, the source is empty.
ioctl($u, UFFDIO_MOVE, {dst=$dst, src=$src, len=8K, mode=0, move=8192}) = 0
load($dst, 5) = "page0"
load($dst+4K, 5) = "page1"
pagemap($dst) = {present=1, exclusive=1}
pagemap($src) = {present=0}
smaps($dst) = {Rss=8, Anonymous=8}
smaps($src) = {Rss=4}
# A zero page moves as the zero page; a hole is ENOENT, or counts as moved with ALLOW_SRC_HOLES.
ioctl($u, UFFDIO_MOVE, {dst=$dst+8K, src=$src+8K, len=4K, mode=0, move=4096}) = 0
pagemap($dst+8K) = {present=1, exclusive=0}
ioctl($u, UFFDIO_MOVE, {dst=$dst+12K, src=$src+12K, len=4K, mode=0, move=-2}) = -1 ENOENT (No such file or directory)
ioctl($u, UFFDIO_MOVE, {dst=$dst+12K, src=$src+12K, len=4K, mode=UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES, move=4096}) = 0
pagemap($dst+12K) = {present=0}
# The dst must be empty: EEXIST, checked before the src.
ioctl($u, UFFDIO_MOVE, {dst=$dst, src=$src+16K, len=4K, mode=0, move=-17}) = -1 EEXIST (File exists)

# A page shared with a fork child is EBUSY, even after the child is gone and the page read; a write makes it
# exclusive again.
madvise($dst, 16K, MADV_DONTNEED) = 0
fork() = $c
ioctl($u, UFFDIO_MOVE, {dst=$dst, src=$src+16K, len=4K, mode=0, move=-16}) = -1 EBUSY (Device or resource busy)
kill($c, SIGKILL) = 0
load($src+16K, 5) = "page4"
ioctl($u, UFFDIO_MOVE, {dst=$dst, src=$src+16K, len=4K, mode=0, move=-16}) = -1 EBUSY (Device or resource busy)
store($src+16K, "P")
ioctl($u, UFFDIO_MOVE, {dst=$dst, src=$src+16K, len=4K, mode=0, move=4096}) = 0
load($dst, 5) = "Page4"

# MOVE resolves a fault and wakes it; the move stops at the first hole (EAGAIN with the count).
store($src+20K, "fault")
[pid $t] load($dst+4K, 5) <unfinished ...>
ioctl($u, UFFDIO_MOVE, {dst=$dst+4K, src=$src+20K, len=8K, mode=0, move=4096}) = -1 EAGAIN (Resource temporarily unavailable)
[pid $t] <... load resumed> = "fault"

# Only the mm's own tasks may move: an inherited fd in a child is EINVAL.
fork() = $d
[pid $d] ioctl($u, UFFDIO_MOVE, {dst=$dst+8K, src=$src+24K, len=4K, mode=0, move=0}) = -1 EINVAL (Invalid argument)

# No overlap check: pages move one by one in address order, so one can move twice.
munmap($dst, 16K) = 0
mmap($dst, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $dst
store($dst, "twice")
ioctl($u, UFFDIO_REGISTER, {range={start=$dst, len=16K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
ioctl($u, UFFDIO_MOVE, {dst=$dst+4K, src=$dst, len=8K, mode=0, move=8192}) = 0
load($dst+8K, 5) = "twice"
pagemap($dst+4K) = {present=0}
# A marker at the source is EFAULT; the mlock state must match.
ioctl($u, UFFDIO_POISON, {range={start=$dst, len=4K}, mode=0, updated=4096}) = 0
ioctl($u, UFFDIO_MOVE, {dst=$dst+4K, src=$dst, len=4K, mode=0, move=-14}) = -1 EFAULT (Bad address)
mlock($src+24K, 4K) = 0
store($src+24K, "locked")
ioctl($u, UFFDIO_MOVE, {dst=$dst+12K, src=$src+24K, len=4K, mode=0, move=-22}) = -1 EINVAL (Invalid argument)
