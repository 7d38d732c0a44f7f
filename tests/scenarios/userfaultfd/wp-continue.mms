# UFFDIO_CONTINUE with UFFDIO_CONTINUE_MODE_WP maps the cached page write-protected; it needs a registration for
# WP as well as MINOR (EINVAL, mapped=-22, otherwise). Measured on 6.18: docs/kernel-notes-userfaultfd-wp.md, D.
memfd_create("heap", 0) = $fd
ftruncate($fd, 8K) = 0
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $a
mmap(0x100000100000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $b
store($b, "zero")
store($b+4K, "one")
thread() = $t
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_MINOR_SHMEM}) = 0

ioctl($u, UFFDIO_REGISTER, {range={start=$a+4K, len=4K}, mode=UFFDIO_REGISTER_MODE_MINOR}) = 0
ioctl($u, UFFDIO_CONTINUE, {range={start=$a+4K, len=4K}, mode=UFFDIO_CONTINUE_MODE_WP, mapped=-22}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_CONTINUE, {range={start=$a+4K, len=4K}, mode=4, mapped=0}) = -1 EINVAL (Invalid argument)
pagemap($a+4K) = {present=0}

ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=4K}, mode=UFFDIO_REGISTER_MODE_MINOR|UFFDIO_REGISTER_MODE_WP}) = 0
[pid $t] load($a, 4) <unfinished ...>
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_MINOR, address=$a}}, 32) = 32
ioctl($u, UFFDIO_CONTINUE, {range={start=$a, len=4K}, mode=UFFDIO_CONTINUE_MODE_WP, mapped=4096}) = 0
[pid $t] <... load resumed> = "zero"
pagemap($a) = {present=1, file=1, uffd_wp=1}
[pid $t] store($a, "ZERO") <unfinished ...>
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE|UFFD_PAGEFAULT_FLAG_WP, address=$a}}, 32) = 32
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=4K}, mode=0}) = 0
[pid $t] <... store resumed> = 0
load($b, 4) = "ZERO"
