# Found by mmsim fuzz --userfaultfd (seeds 1128, 1146): UFFDIO_ZEROPAGE and UFFDIO_COPY into a MAP_PRIVATE
# mapping of a memfd make anonymous pages, but not past the end of the file: mfill_file_over_size() says EFAULT
# there, before looking at the PTE. Within the file they work.
memfd_create("m", 0) = $fd
ftruncate($fd, 4K) = 0
mmap(0x100000000000, 12K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $fd, 0) = $a
mmap(0x100000100000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $src
store($src, "copied")
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=12K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a+4K, len=4K}, mode=0, zeropage=-14}) = -1 EFAULT (Bad address)
ioctl($u, UFFDIO_COPY, {dst=$a+8K, src=$src, len=4K, mode=0, copy=-14}) = -1 EFAULT (Bad address)
ioctl($u, UFFDIO_COPY, {dst=$a, src=$src, len=8K, mode=0, copy=4096}) = -1 EAGAIN (Resource temporarily unavailable)
load($a, 6) = "copied"
smaps($a) = {Rss=4, Anonymous=4}
