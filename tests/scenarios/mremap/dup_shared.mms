# old_size 0 duplicates a shared mapping: a second mapping of the same pages. On a private
# mapping it fails (EINVAL), as Linux refuses to "duplicate" one.
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a+4K, "both")
mremap($a, 0, 8K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000100000) = 0x100000100000
load(0x100000101000, 4) = "both"
store(0x100000100000, "dup")
load($a, 3) = "dup"
smaps($a) = {start=$a, end=$a+8K, perms="rw-s"}
smaps(0x100000100000) = {start=0x100000100000, end=0x100000102000, perms="rw-s"}
# without FIXED, the duplicate goes where mmap(NULL) would put it
mremap($a+4K, 0, 4K, MREMAP_MAYMOVE, 0) = $d
load($d, 4) = "both"
# without MAYMOVE there is nowhere to put it
mremap($a, 0, 4K, 0, 0) = -1 ENOMEM (Cannot allocate memory)
mmap(0x100000200000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $p
mremap($p, 0, 8K, MREMAP_MAYMOVE, 0) = -1 EINVAL (Invalid argument)
validate() = 0
