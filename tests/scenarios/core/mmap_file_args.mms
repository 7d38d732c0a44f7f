# mmap argument checks that need a file (a memfd): MAP_SHARED_VALIDATE, offsets.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall (/tmp/probe-golden/mmsrun, run unprivileged, no ASLR).

memfd_create("args", 0) = $fd
ftruncate($fd, 8K) = 0
# MAP_SHARED_VALIDATE with a bit outside LEGACY_MAP_MASK: EOPNOTSUPP
mmap(0x100000100000, 4K, PROT_READ, MAP_SHARED_VALIDATE|MAP_FIXED|0x800000, $fd, 0) = -1 EOPNOTSUPP (Operation not supported)
# MAP_SYNC is only supported by DAX files
mmap(0x100000100000, 4K, PROT_READ, MAP_SHARED_VALIDATE|MAP_FIXED|MAP_SYNC, $fd, 0) = -1 EOPNOTSUPP (Operation not supported)
# MAP_FIXED_NOREPLACE is not in LEGACY_MAP_MASK either, so MAP_SHARED_VALIDATE rejects it
mmap(0x100000100000, 4K, PROT_READ, MAP_SHARED_VALIDATE|MAP_FIXED_NOREPLACE, $fd, 0) = -1 EOPNOTSUPP (Operation not supported)
# legacy flags are fine with MAP_SHARED_VALIDATE
mmap(0x100000100000, 4K, PROT_READ, MAP_SHARED_VALIDATE|MAP_FIXED|MAP_NORESERVE|MAP_STACK, $fd, 0) = 0x100000100000
smaps(0x100000100000) = {perms="r--s", name="/memfd:args (deleted)"}
# with MAP_SHARED (not _VALIDATE) unknown bits, even MAP_SYNC, are ignored
mmap(0x100000200000, 4K, PROT_READ, MAP_SHARED|MAP_FIXED_NOREPLACE|MAP_SYNC|0x800000, $fd, 0) = 0x100000200000
# EEXIST is decided before the MAP_SHARED_VALIDATE flag check
mmap(0x100000200000, 4K, PROT_READ, MAP_SHARED_VALIDATE|MAP_FIXED_NOREPLACE|0x800000, $fd, 0) = -1 EEXIST (File exists)
# neither MAP_SHARED nor MAP_PRIVATE with a file
mmap(0x100000300000, 4K, PROT_READ, MAP_FIXED_NOREPLACE|0xf, $fd, 0) = -1 EINVAL (Invalid argument)
# MAP_HUGETLB on a file that is not on hugetlbfs
mmap(0x100000300000, 4K, PROT_READ, MAP_SHARED|MAP_FIXED_NOREPLACE|MAP_HUGETLB, $fd, 0) = -1 EINVAL (Invalid argument)
# file mappings can't grow down (private or shared)
mmap(0x100000300000, 4K, PROT_READ, MAP_PRIVATE|MAP_FIXED_NOREPLACE|MAP_GROWSDOWN, $fd, 0) = -1 EINVAL (Invalid argument)
mmap(0x100000300000, 4K, PROT_READ, MAP_SHARED|MAP_FIXED_NOREPLACE|MAP_GROWSDOWN, $fd, 0) = -1 EINVAL (Invalid argument)
# offsets: a "negative" offset or one that overflows the max file size -> EOVERFLOW
mmap(0x100000300000, 4K, PROT_READ, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, -4K) = -1 EOVERFLOW (Value too large for defined data type)
mmap(0x100000300000, 8K, PROT_READ, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0x7ffffffffffff000) = -1 EOVERFLOW (Value too large for defined data type)
# len 0 with a valid fd is EINVAL
mmap(0x100000300000, 0, PROT_READ, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = -1 EINVAL (Invalid argument)
# an offset and length far past EOF are accepted at mmap time (faults will SIGBUS)
mmap(0x100000300000, 64K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 1M) = 0x100000300000
smaps(0x100000300000) = {start=0x100000300000, end=0x100000310000, perms="rw-s", Size=64, Rss=0}
# none of the failed calls left a mapping behind
vma_count(0x100000000000, 0x100000300000) = 2
close($fd) = 0
mmap(0x100000400000, 4K, PROT_READ, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = -1 EBADF (Bad file descriptor)
