# A MAP_GROWSDOWN VMA registered with a userfaultfd: an access below it expands the stack over the free page, and
# the page it grew by is registered like the rest (expand_downwards() keeps the VMA's flags), so the access traps.
# Found by mmsim fuzz --userfaultfd (seed 1119), where a plain load far below blocked. Measured on 6.18.
mmap(0x100000010000, 12K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_GROWSDOWN, -1, 0) = $s
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$s, len=12K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
thread() = $t
[pid $t] load($s-16K+5, 1) <unfinished ...>
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=0, address=$s-16K}}, 32) = 32
smaps($s-16K) = {start=$s-16K, end=$s+12K, VmFlags="rd wr mr mw me gd um ac"}
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$s-16K, len=4K}, mode=0, zeropage=4096}) = 0
[pid $t] <... load resumed> = "\0"
