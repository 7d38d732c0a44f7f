# A concurrent compacting garbage collector, as Android's ART runs one, built on the two kernel features the
# seed threads added: MREMAP_DONTUNMAP for shared memory, and userfaultfd minor faults for shmem (UFFDIO_CONTINUE).
#
#     mmsim run examples/gc-uffd.mms        # or: mmsim diff examples/gc-uffd.mms, to run it beside Linux 6.18
#
# The heap is a memfd, mapped shared. At a pause the collector moves the heap's mapping away with
# mremap(MREMAP_DONTUNMAP): the old range stays mapped, and since it maps the same file it still shows the data,
# but its page tables are empty. It registers the old range for MINOR faults, and lets the mutators run: each
# touch of a heap page is a minor fault that stops the mutator, until the collector has processed that page
# through the new mapping and maps it back with UFFDIO_CONTINUE, copying nothing.
memfd_create("heap", 0) = $heap
ftruncate($heap, 64K) = 0
mmap(0x100000000000, 64K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $heap, 0) = $heapva
store($heapva, "object A -> B")
store($heapva+16K, "object B")
thread() = $mutator1
thread() = $mutator2

# The pause: move the heap's mapping to the collector's window, keeping the old range.
mremap($heapva, 64K, 64K, MREMAP_MAYMOVE|MREMAP_DONTUNMAP|MREMAP_FIXED, 0x100000100000) = $gc
smaps($heapva) = {Rss=0, VmFlags="rd wr sh mr mw me ms"}
load($gc, 13) = "object A -> B"
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $uffd
ioctl($uffd, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_MINOR_SHMEM}) = 0
ioctl($uffd, UFFDIO_REGISTER, {range={start=$heapva, len=64K}, mode=UFFDIO_REGISTER_MODE_MINOR, ioctls=1<<_UFFDIO_WAKE|1<<_UFFDIO_COPY|1<<_UFFDIO_ZEROPAGE|1<<_UFFDIO_MOVE|1<<_UFFDIO_CONTINUE|1<<_UFFDIO_POISON}) = 0

# The mutators run again and fault on heap pages: minor faults (the page cache has the pages).
[pid $mutator1] load($heapva, 13) <unfinished ...>
[pid $mutator2] store($heapva+16K+8, "'") <unfinished ...>
read($uffd, [{event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_MINOR, address=$heapva}}, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE|UFFD_PAGEFAULT_FLAG_MINOR, address=$heapva+16K}}], 64) = 64

# The collector processes page 0 through its own mapping (object A's reference is updated), then maps it back.
store($gc+12, "b")
ioctl($uffd, UFFDIO_CONTINUE, {range={start=$heapva, len=4K}, mode=0, mapped=4096}) = 0
[pid $mutator1] <... load resumed> = "object A -> b"
ioctl($uffd, UFFDIO_CONTINUE, {range={start=$heapva+16K, len=4K}, mode=0, mapped=4096}) = 0
[pid $mutator2] <... store resumed> = 0
load($gc+16K, 9) = "object B'"
# A page the cache does not have cannot be continued: the collector would UFFDIO_COPY or ZEROPAGE it instead.
ioctl($uffd, UFFDIO_CONTINUE, {range={start=$heapva+4K, len=4K}, mode=0, mapped=-14}) = -1 EFAULT (Bad address)
# Mapping a page twice is EEXIST.
ioctl($uffd, UFFDIO_CONTINUE, {range={start=$heapva, len=4K}, mode=0, mapped=-17}) = -1 EEXIST (File exists)

# The pause is over: unregister, and drop the collector's window.
ioctl($uffd, UFFDIO_UNREGISTER, {start=$heapva, len=64K}) = 0
munmap($gc, 64K) = 0
close($uffd) = 0
load($heapva+16K, 9) = "object B'"

# The same with private anonymous memory: after MREMAP_DONTUNMAP the old range is empty (it reads zero), so a
# mutator's touch is a MISSING fault, which the collector resolves by copying the page back with UFFDIO_COPY.
mmap(0x100000200000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $anon
store($anon, "object C")
mremap($anon, 16K, 16K, MREMAP_MAYMOVE|MREMAP_DONTUNMAP|MREMAP_FIXED, 0x100000300000) = $gc2
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $uffd2
ioctl($uffd2, UFFDIO_API, {api=UFFD_API, features=0}) = 0
ioctl($uffd2, UFFDIO_REGISTER, {range={start=$anon, len=16K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
[pid $mutator1] load($anon, 8) <unfinished ...>
read($uffd2, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=0, address=$anon}}, 32) = 32
ioctl($uffd2, UFFDIO_COPY, {dst=$anon, src=$gc2, len=4K, mode=0, copy=4096}) = 0
[pid $mutator1] <... load resumed> = "object C"
close($uffd2) = 0
