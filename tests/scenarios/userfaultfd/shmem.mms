# MISSING faults of shared memory (a memfd mapped shared): a hole of the file traps; UFFDIO_COPY fills the page
# cache, so every mapping of the file sees the page; ZEROPAGE allocates a real zero-filled page there.
memfd_create("heap", 0) = $m
ftruncate($m, 16K) = 0
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $m, 0) = $a
mmap(0x100000010000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $m, 0) = $alias
mmap(0x100000100000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $src
store($src, "shared!")
# A page already in the cache does not trap (MISSING only).
store($alias+12K, "cached")
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=16K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
load($a+12K, 6) = "cached"
thread() = $t
[pid $t] load($a, 7) <unfinished ...>
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=0, address=$a}}, 32) = 32
ioctl($u, UFFDIO_COPY, {dst=$a, src=$src, len=4K, mode=0, copy=4096}) = 0
[pid $t] <... load resumed> = "shared!"
load($alias, 7) = "shared!"
smaps($a) = {Rss=8, Shared_Dirty=8}
# The page is dirty in the mapping it was copied into, not in the page cache: clean through the alias.
smaps($alias) = {Rss=8, Shared_Clean=4, Shared_Dirty=4}
# The page is in the cache now, though not mapped by the alias: EEXIST there too (were the alias registered).
ioctl($u, UFFDIO_COPY, {dst=$a, src=$src, len=4K, mode=0, copy=-17}) = -1 EEXIST (File exists)
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a+4K, len=4K}, mode=0, zeropage=4096}) = 0
smaps($a) = {Rss=12}
load($alias+4K, 1) = "\0"
# Past the end of the file: EFAULT.
ftruncate($m, 12K) = 0
ioctl($u, UFFDIO_COPY, {dst=$a+12K, src=$src, len=4K, mode=0, copy=-14}) = -1 EFAULT (Bad address)

# A memfd mapped private: COPY makes a private anonymous page; the file stays empty.
mmap(0x100000020000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $m, 0) = $p
ioctl($u, UFFDIO_REGISTER, {range={start=$p, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
ioctl($u, UFFDIO_COPY, {dst=$p+4K, src=$src, len=4K, mode=0, copy=4096}) = 0
load($p+4K, 7) = "shared!"
load($alias+4K, 1) = "\0"
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$p, len=4K}, mode=0, zeropage=4096}) = 0
smaps($p) = {Rss=4, Anonymous=4}
