# mremap of a registered VMA. Growing or shrinking it in place keeps the registration (the new pages trap too);
# moving it does not: without UFFD_FEATURE_EVENT_REMAP, mremap_userfaultfd_prep() clears the VMA at the new
# address, and faults there are ordinary ones. MREMAP_DONTUNMAP leaves the source registered. Measured on 6.18.
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "first")
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=16K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
thread() = $t

# Growth in place: the VMA keeps its flags over the new pages, which trap.
mremap($a, 16K, 32K, 0, 0) = $a
smaps($a) = {end=$a+32K, VmFlags="rd wr mr mw me um ac"}
[pid $t] load($a+24K, 1) <unfinished ...>
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=0, address=$a+24K}}, 32) = 32
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a+24K, len=4K}, mode=0, zeropage=4096}) = 0
[pid $t] <... load resumed> = "\0"

# A shrink keeps it too.
mremap($a, 32K, 28K, 0, 0) = $a
smaps($a) = {end=$a+28K, VmFlags="rd wr mr mw me um ac"}

# A move drops it at the new address: the pages moved, and the missing ones fault as ordinary ones.
mremap($a, 28K, 28K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000100000) = 0x100000100000
smaps(0x100000100000) = {end=0x100000107000, VmFlags="rd wr mr mw me ac"}
load(0x100000100000, 5) = "first"
load(0x100000101000, 1) = "\0"
read($u, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)

# MREMAP_DONTUNMAP: the source VMA stays whole, registered, its moved pages empty and trapping again. The copy
# is not registered.
ioctl($u, UFFDIO_REGISTER, {range={start=0x100000100000, len=28K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
mremap(0x100000100000, 8K, 8K, MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP, 0x100000200000) = 0x100000200000
smaps(0x100000100000) = {end=0x100000107000, VmFlags="rd wr mr mw me um ac"}
smaps(0x100000200000) = {end=0x100000202000, VmFlags="rd wr mr mw me ac"}
load(0x100000200000, 5) = "first"
[pid $t] load(0x100000100000, 1) <unfinished ...>
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=0, address=0x100000100000}}, 32) = 32
ioctl($u, UFFDIO_UNREGISTER, {start=0x100000100000, len=8K}) = 0
[pid $t] <... load resumed> = "\0"

# A move that lands next to a registered VMA merges into it first (copy_vma() compares the contexts), then the
# whole merged VMA loses the registration.
mmap(0x100000300000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
mmap(0x100000302000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $c
ioctl($u, UFFDIO_REGISTER, {range={start=$b, len=12K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
vma_count($b, $b+12K) = 1
mremap($b+8K, 4K, 4K, MREMAP_MAYMOVE|MREMAP_FIXED, $b+16K) = $b+16K
vma_count($b, $b+20K) = 2
smaps($b) = {end=$b+8K, VmFlags="rd wr mr mw me um ac"}
smaps($b+16K) = {end=$b+20K, VmFlags="rd wr mr mw me ac"}
