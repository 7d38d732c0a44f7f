# Write-protect mode on shmem (a memfd mapped MAP_SHARED): protection puts uffd-wp markers on every page not
# mapped, whether the page cache has it, lacks it, or it lies past the end of the file; a marker stays when the page
# is zapped. Measured on 6.18: docs/kernel-notes-userfaultfd-wp.md, sections C and D.
memfd_create("heap", 0) = $fd
ftruncate($fd, 16K) = 0
mmap(0x100000000000, 24K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $a
mmap(0x100000100000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $other
mmap(0x100000200000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $src
store($src, "source")
# Page 0 mapped; page 1 cached but not mapped here; page 2 a hole; page 3 mapped, then zapped.
store($a, "zero")
store($other+4K, "one")
store($a+12K, "three")
madvise($a+12K, 4K, MADV_DONTNEED) = 0
thread() = $t

userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=24K}, mode=UFFDIO_REGISTER_MODE_WP}) = 0
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=24K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = 0
smaps($a) = {Rss=4, VmFlags="rd wr sh mr mw me ms uw"}
pagemap($a) = {present=1, file=1, uffd_wp=1}
pagemap($a+4K) = {present=0, swapped=1, uffd_wp=1}
pagemap($a+8K) = {present=0, swapped=1, uffd_wp=1}
pagemap($a+12K) = {present=0, swapped=1, uffd_wp=1}
pagemap($a+20K) = {present=0, swapped=1, uffd_wp=1}

# A read of a marker maps the cached page, protected; a write traps. Past the end of the file: SIGBUS.
load($a+4K, 3) = "one"
pagemap($a+4K) = {present=1, uffd_wp=1}
[pid $t] store($a+4K, "ONE") <unfinished ...>
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE|UFFD_PAGEFAULT_FLAG_WP, address=$a+4K}}, 32) = 32
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a+4K, len=4K}, mode=0}) = 0
[pid $t] <... store resumed> = 0
load($other+4K, 3) = "ONE"
load($a+20K, 1) = SIGBUS {si_code=BUS_ADRERR, si_addr=$a+20K}

# A hole with a marker: a write allocates the page, maps it protected, and traps.
[pid $t] store($a+8K, "two") <unfinished ...>
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE|UFFD_PAGEFAULT_FLAG_WP, address=$a+8K}}, 32) = 32
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a+8K, len=4K}, mode=0}) = 0
[pid $t] <... store resumed> = 0

# MADV_DONTNEED of a protected page leaves a marker; of an unprotected one, nothing.
madvise($a, 12K, MADV_DONTNEED) = 0
pagemap($a) = {present=0, swapped=1, uffd_wp=1}
pagemap($a+4K) = {present=0, swapped=0, uffd_wp=0}
pagemap($a+8K) = {present=0, swapped=0, uffd_wp=0}
mincore($a, 16K, $src+64) = 0
load($src+64, 4) = "\x01\x01\x01\x01"

# ZEROPAGE and COPY over a marker work on shmem: ZEROPAGE needs a hole in the file, COPY may protect.
ftruncate($fd, 24K) = 0
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a+16K, len=4K}, mode=0, zeropage=4096}) = 0
pagemap($a+16K) = {present=1, uffd_wp=0}
ioctl($u, UFFDIO_COPY, {dst=$a+20K, src=$src, len=4K, mode=UFFDIO_COPY_MODE_WP, copy=4096}) = 0
pagemap($a+20K) = {present=1, uffd_wp=1}
load($a+16K, 1) = "\0"
load($other+12K, 5) = "three"
ioctl($u, UFFDIO_COPY, {dst=$a, src=$src, len=4K, mode=0, copy=-17}) = -1 EEXIST (File exists)

# Truncation keeps the marker of a protected page zapped past the new end; a fault there is SIGBUS.
ftruncate($fd, 16K) = 0
pagemap($a+20K) = {present=0, swapped=1, uffd_wp=1}
load($a+20K, 1) = SIGBUS {si_code=BUS_ADRERR, si_addr=$a+20K}

# close() clears every protection and marker.
close($u) = 0
pagemap($a) = {present=0, swapped=0, uffd_wp=0}
smaps($a) = {VmFlags="rd wr sh mr mw me ms"}
store($a, "free")
