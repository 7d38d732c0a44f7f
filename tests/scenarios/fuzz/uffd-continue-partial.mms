# Found by mmsim fuzz --userfaultfd (seeds 115, 117): UFFDIO_CONTINUE looks each page up with
# shmem_get_folio(SGP_NOALLOC): past the end of the file that is EINVAL, in a hole EFAULT. When it stops part way,
# the pages it did map count in RssShmem like any other.
memfd_create("m", 0) = $fd
ftruncate($fd, 8K) = 0
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $a
mmap(0x100000100000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $b
store($b, "page 0")
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=16K}, mode=UFFDIO_REGISTER_MODE_MINOR}) = 0
status() = {RssShmem=4}

# Page 0 is cached, page 1 is a hole: one page mapped, then EAGAIN with the count.
ioctl($u, UFFDIO_CONTINUE, {range={start=$a, len=8K}, mode=0, mapped=4096}) = -1 EAGAIN (Resource temporarily unavailable)
status() = {RssShmem=8}
load($a, 6) = "page 0"
ioctl($u, UFFDIO_CONTINUE, {range={start=$a+4K, len=4K}, mode=0, mapped=-14}) = -1 EFAULT (Bad address)
# Past the end of the file: EINVAL.
ioctl($u, UFFDIO_CONTINUE, {range={start=$a+8K, len=4K}, mode=0, mapped=-22}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_CONTINUE, {range={start=$a+8K, len=4K}, mode=UFFDIO_CONTINUE_MODE_DONTWAKE, mapped=-22}) = -1 EINVAL (Invalid argument)
