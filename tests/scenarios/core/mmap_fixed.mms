# MAP_FIXED replaces whatever is there (splitting neighbours); MAP_FIXED_NOREPLACE
# refuses any overlap; both leave no trace on failure.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, 16K, 0x61)
# any overlap at all is EEXIST: exact, inside, straddling either end
mmap($a, 16K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 EEXIST (File exists)
mmap($a+4K, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 EEXIST (File exists)
mmap($a-4K, 8K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 EEXIST (File exists)
mmap($a+12K, 8K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 EEXIST (File exists)
vma_count($a-4K, $a+20K) = 1
load($a+4K, 1) = "a"
# MAP_FIXED in the middle with different protections: three VMAs, fresh zero memory in the middle
mmap($a+4K, 8K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = $a+4K
vma_count($a, $a+16K) = 3
smaps($a+4K) = {start=$a+4K, end=$a+12K, perms="r--p", Rss=0}
load($a+4K, 1) = "\0"
load($a, 1) = "a"
load($a+12K, 1) = "a"
smaps($a) = {start=$a, end=$a+4K, Rss=4}
# MAP_FIXED with matching flags over the middle merges everything back into one VMA
mmap($a+4K, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = $a+4K
vma_count($a, $a+16K) = 1
smaps($a) = {start=$a, end=$a+16K, Rss=8}
# MAP_FIXED across a hole and the end of a mapping
munmap($a+8K, 4K) = 0
mmap($a+4K, 16K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = $a+4K
vma_count($a, $a+20K) = 2
smaps($a+4K) = {start=$a+4K, end=$a+20K, perms="r--p", Rss=0}
# MAP_FIXED of a shared mapping over a private one
mmap($a+8K, 4K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = $a+8K
vma_count($a, $a+20K) = 4
smaps($a+8K) = {start=$a+8K, end=$a+12K, perms="rw-s", name="/dev/zero (deleted)"}
# a failed MAP_FIXED (bad argument) leaves the old mapping in place
mmap($a+8K, 4K, PROT_READ, MAP_FIXED|MAP_ANONYMOUS, -1, 0) = -1 EINVAL (Invalid argument)
mmap($a+8K, 4K, PROT_READ, MAP_PRIVATE|MAP_FIXED, 99, 0) = -1 EBADF (Bad file descriptor)
smaps($a+8K) = {perms="rw-s"}
# MAP_FIXED_NOREPLACE right next to a mapping is fine (and merges when it can)
mmap($a+20K, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a+20K
smaps($a+20K) = {start=$a+12K, end=$a+24K}
