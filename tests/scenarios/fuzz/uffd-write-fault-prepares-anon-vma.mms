# Found by mmsim fuzz --userfaultfd (seed 1): a write fault on an empty page of a MISSING range goes to the
# monitor only after do_anonymous_page() has run vmf_anon_prepare() and allocated the folio. The registered VMA
# has an anon_vma of its own from then on, so once unregistered it no longer merges with a neighbour that has
# another one. A read fault traps before that, and prepares nothing.
mmap(0x100000000000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mmap(0x100000100000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
thread() = $t
ioctl($u, UFFDIO_REGISTER, {range={start=$a+16K, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$b+16K, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
vma_count($a, $a+32K) = 3
# The VMAs below the registered ones get anon_vmas of their own.
touch($a, 4K, WRITE)
touch($b, 4K, WRITE)

# A write fault: the registered VMA gets an anon_vma before it traps, and merges only with the VMA above.
[pid $t] store($a+20K, "w") <unfinished ...>
ioctl($u, UFFDIO_UNREGISTER, {start=$a+16K, len=8K}) = 0
[pid $t] <... store resumed> = 0
vma_count($a, $a+32K) = 2
smaps($a+16K) = {start=$a+16K, end=$a+32K, Rss=4}

# A read fault: nothing prepared, all three merge back.
[pid $t] load($b+16K, 1) <unfinished ...>
ioctl($u, UFFDIO_UNREGISTER, {start=$b+16K, len=8K}) = 0
[pid $t] <... load resumed> = "\0"
vma_count($b, $b+32K) = 1
