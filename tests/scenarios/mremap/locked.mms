# mlock interplay: growing a VM_LOCKED mapping populates the new part; RLIMIT_MEMLOCK (8 MiB
# here) refuses growth beyond it with EAGAIN.
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_LOCKED, -1, 0) = $a
smaps($a) = {Rss=16, Locked=16}
# in place
mremap($a, 16K, 32K, 0, 0) = $a
smaps($a) = {start=$a, end=$a+32K, Rss=32, Locked=32}
status() = {VmLck=32}
# moving and growing: the part that grew is populated at the new place
mmap($a+32K, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a+32K
mremap($a, 32K, 48K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000100000) = 0x100000100000
smaps(0x100000100000) = {start=0x100000100000, end=0x10000010c000, Rss=48, Locked=48}
status() = {VmLck=48}
# beyond RLIMIT_MEMLOCK
mremap(0x100000100000, 48K, 9M, MREMAP_MAYMOVE, 0) = -1 EAGAIN (Resource temporarily unavailable)
# shrinking gives locked_vm back
mremap(0x100000100000, 48K, 8K, 0, 0) = 0x100000100000
status() = {VmLck=8}
validate() = 0
