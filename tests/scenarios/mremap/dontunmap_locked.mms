# MREMAP_DONTUNMAP of a locked mapping clears VM_LOCKED on the source. Linux 6.18 adds the
# moved size to locked_vm without taking the source's off: VmLck counts it twice, and the
# excess remains after both mappings are gone.
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_LOCKED, -1, 0) = $a
status() = {VmLck=16}
store($a, "locked")
mremap($a, 16K, 16K, MREMAP_MAYMOVE|MREMAP_DONTUNMAP|MREMAP_FIXED, 0x100000100000) = 0x100000100000
smaps($a) = {VmFlags="rd wr mr mw me ac", Rss=0, Locked=0}
smaps(0x100000100000) = {VmFlags="rd wr mr mw me lo ac", Rss=16, Locked=16}
load(0x100000100000, 6) = "locked"
status() = {VmLck=32}
munmap($a, 16K) = 0
munmap(0x100000100000, 16K) = 0
status() = {VmLck=16}
validate() = 0
# found by mmsim fuzz: moving part of a locked VMA clears VM_LOCKED on all of it (it is not
# split), and locked_vm keeps counting all of it
mmap(0x100000200000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_LOCKED, -1, 0) = $b
status() = {VmLck=32}
mremap($b+4K, 4K, 4K, MREMAP_MAYMOVE|MREMAP_DONTUNMAP|MREMAP_FIXED, 0x100000300000) = 0x100000300000
smaps($b) = {start=$b, end=$b+16K, VmFlags="rd wr mr mw me ac", Rss=12, Locked=0}
smaps(0x100000300000) = {VmFlags="rd wr mr mw me lo ac", Locked=4}
status() = {VmLck=36}
validate() = 0
