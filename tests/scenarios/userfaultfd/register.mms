# UFFDIO_REGISTER and UFFDIO_UNREGISTER: modes, the ioctls each allows, VMA splits and merges, and the checks
# in their order (mode, range, then each VMA in address order). Measured on 6.18: docs/kernel-notes-userfaultfd.md.
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a

# Modes: 0 and unknown bits are EINVAL; MINOR needs shmem.
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=16K}, mode=0}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=16K}, mode=8}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=16K}, mode=UFFDIO_REGISTER_MODE_MINOR}) = -1 EINVAL (Invalid argument)

# Ranges: page-aligned, not empty, inside TASK_SIZE, touching a VMA.
ioctl($u, UFFDIO_REGISTER, {range={start=$a+1, len=4K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=4K+1}, mode=UFFDIO_REGISTER_MODE_MISSING}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=0}, mode=UFFDIO_REGISTER_MODE_MISSING}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_REGISTER, {range={start=0x7ffffffff000, len=4K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=0xfffffffffffff000}, mode=UFFDIO_REGISTER_MODE_MISSING}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_REGISTER, {range={start=$a+64K, len=4K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_REGISTER, NULL) = -1 EFAULT (Bad address)

# The middle of a VMA: it splits, and the ioctls are the range ones without WRITEPROTECT and CONTINUE.
ioctl($u, UFFDIO_REGISTER, {range={start=$a+4K, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING, ioctls=1<<_UFFDIO_WAKE|1<<_UFFDIO_COPY|1<<_UFFDIO_ZEROPAGE|1<<_UFFDIO_MOVE|1<<_UFFDIO_POISON}) = 0
vma_count($a, $a+16K) = 3
smaps($a+4K) = {start=$a+4K, end=$a+12K, VmFlags="rd wr mr mw me um ac"}
smaps($a) = {end=$a+4K, VmFlags="rd wr mr mw me ac"}

# The whole VMA again: the pieces merge; WP adds WRITEPROTECT (and, with the same uffd, replaces the mode).
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=16K}, mode=UFFDIO_REGISTER_MODE_WP, ioctls=0x17c}) = 0
vma_count($a, $a+16K) = 1
smaps($a) = {VmFlags="rd wr mr mw me uw ac"}
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=16K}, mode=UFFDIO_REGISTER_MODE_MISSING|UFFDIO_REGISTER_MODE_WP, ioctls=0x17c}) = 0
smaps($a) = {VmFlags="rd wr mr mw me um uw ac"}
# A VMA that already has every mode asked for is left as it is.
ioctl($u, UFFDIO_REGISTER, {range={start=$a+4K, len=4K}, mode=UFFDIO_REGISTER_MODE_MISSING, ioctls=0x13c}) = 0
vma_count($a, $a+16K) = 1
smaps($a) = {VmFlags="rd wr mr mw me um uw ac"}

# Another uffd cannot take a VMA this one has: EBUSY, and nothing changes; it cannot unregister it either.
userfaultfd(UFFD_USER_MODE_ONLY) = $v
ioctl($v, UFFDIO_API, {api=UFFD_API, features=0}) = 0
mmap(0x100000010000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
ioctl($v, UFFDIO_REGISTER, {range={start=$a, len=0x11000}, mode=UFFDIO_REGISTER_MODE_MISSING}) = -1 EBUSY (Device or resource busy)
smaps($b) = {VmFlags="rd wr mr mw me ac"}
ioctl($v, UFFDIO_UNREGISTER, {start=$a, len=4K}) = -1 EINVAL (Invalid argument)
# A range that starts in a hole and ends in one registers the VMAs it touches.
ioctl($v, UFFDIO_REGISTER, {range={start=$b-4K, len=12K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
smaps($b) = {VmFlags="rd wr mr mw me um ac"}

# Unregistering part of a VMA splits it; the rest merges it back. A range never registered is a no-op.
ioctl($u, UFFDIO_UNREGISTER, {start=$a+4K, len=4K}) = 0
vma_count($a, $a+16K) = 3
smaps($a+4K) = {VmFlags="rd wr mr mw me ac"}
ioctl($u, UFFDIO_UNREGISTER, {start=$a, len=16K}) = 0
vma_count($a, $a+16K) = 1
ioctl($u, UFFDIO_UNREGISTER, {start=$a, len=16K}) = 0
ioctl($u, UFFDIO_UNREGISTER, {start=$a+64K, len=4K}) = -1 EINVAL (Invalid argument)

# Shared memory takes MINOR too, which brings CONTINUE into the ioctls. A memfd mapped read-only and shared has
# no VM_MAYWRITE: EPERM.
memfd_create("heap", 0) = $m
ftruncate($m, 16K) = 0
mmap(0x100000020000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $m, 0) = $s
ioctl($u, UFFDIO_REGISTER, {range={start=$s, len=16K}, mode=UFFDIO_REGISTER_MODE_MINOR, ioctls=0x1bc}) = 0
smaps($s) = {VmFlags="rd wr sh mr mw me ms ui"}
ioctl($u, UFFDIO_REGISTER, {range={start=$s, len=16K}, mode=UFFDIO_REGISTER_MODE_MISSING|UFFDIO_REGISTER_MODE_WP|UFFDIO_REGISTER_MODE_MINOR, ioctls=0x1fc}) = 0
smaps($s) = {VmFlags="rd wr sh mr mw me ms um uw ui"}
mmap(0x100000050000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $sa
ioctl($u, UFFDIO_REGISTER, {range={start=$sa, len=16K}, mode=UFFDIO_REGISTER_MODE_MINOR, ioctls=0x1bc}) = 0
mmap(0x100000030000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $m, 0) = $p
ioctl($u, UFFDIO_REGISTER, {range={start=$p, len=4K}, mode=UFFDIO_REGISTER_MODE_MINOR, ioctls=0x1bc}) = 0
smaps($p) = {VmFlags="rd wr mr mw me ac ui"}

# Closing the uffd unregisters everything it had, and the VMAs merge back.
mmap(0x100000040000, 12K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $c
ioctl($u, UFFDIO_REGISTER, {range={start=$c+4K, len=4K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
vma_count($c, $c+12K) = 3
close($u) = 0
vma_count($c, $c+12K) = 1
smaps($s) = {VmFlags="rd wr sh mr mw me ms"}
