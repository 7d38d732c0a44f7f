# Linux 6.17+: MREMAP_FIXED with old_size == new_size moves every VMA in the range, keeping the
# gaps between them; the range must begin on a VMA; a hole at the end is allowed.
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mmap($a+12K, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a+12K
mmap($a+20K, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a+20K
store($a, "A")
store($a+20K, "C")
# a target mapping where the gaps land survives: only the parts the VMAs move to are unmapped
mmap(0x100000100000, 32K, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $t
# the range starts in a hole: EFAULT, nothing moves
mremap($a-4K, 32K, 32K, MREMAP_MAYMOVE|MREMAP_FIXED, $t) = -1 EFAULT (Bad address)
# three VMAs and two holes, plus a hole at the end
mremap($a, 32K, 32K, MREMAP_MAYMOVE|MREMAP_FIXED, $t) = $t
vma_count($a, $a+32K) = 0
load($t, 1) = "A"
load($t+20K, 1) = "C"
smaps($t) = {start=$t, end=$t+8K, perms="rw-p"}
smaps($t+8K) = {start=$t+8K, end=$t+12K, perms="---p"}
smaps($t+12K) = {start=$t+12K, end=$t+16K, perms="r--p"}
smaps($t+16K) = {start=$t+16K, end=$t+20K, perms="---p"}
smaps($t+20K) = {start=$t+20K, end=$t+28K, perms="rw-s"}
smaps($t+28K) = {start=$t+28K, end=$t+32K, perms="---p"}
# a range starting inside a VMA moves its tail, then the rest
mremap($t+4K, 12K, 12K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000200000) = 0x100000200000
smaps(0x100000200000) = {start=0x100000200000, end=0x100000201000, perms="rw-p"}
smaps(0x100000202000) = {start=0x100000202000, end=0x100000203000, perms="r--p"}
# a growing move may not span VMAs
mremap($t, 32K, 36K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000300000) = -1 EFAULT (Bad address)
# without FIXED and without a size change, nothing is checked and nothing moves
mremap($t, 32K, 32K, MREMAP_MAYMOVE, 0) = $t
validate() = 0
