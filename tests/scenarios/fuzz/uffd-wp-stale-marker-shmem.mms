# Found by mmsim fuzz --userfaultfd (seed 12246): in a file VMA, a uffd-wp marker outlives the WP registration
# (re-registering for MISSING only does not touch the PTEs), and zapping keeps it, as it keeps any uffd-wp marker
# of a file VMA. MADV_GUARD_INSTALL over it therefore never returns on 6.18 (tested on the model only, in
# GuardLivelockTests: the kernel target cannot show a task that spins).
memfd_create("m", 0) = $fd
ftruncate($fd, 8K) = 0
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $a
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=8K}, mode=UFFDIO_REGISTER_MODE_WP}) = 0
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=8K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
smaps($a) = {VmFlags="rd wr sh mr mw me ms um"}
pagemap($a) = {present=0, swapped=1, uffd_wp=1}
madvise($a, 4K, MADV_DONTNEED) = 0
pagemap($a) = {present=0, swapped=1, uffd_wp=1}
# Releasing the context leaves it too (only VMAs registered for WP are unprotected); an access clears it.
close($u) = 0
pagemap($a) = {present=0, swapped=1, uffd_wp=1}
store($a, "x")
pagemap($a) = {present=1, uffd_wp=0}
