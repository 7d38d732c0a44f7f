# Ten kinds of VMA; the model's /proc/PID/smaps for them must equal smaps-kinds.smaps byte for byte
# (memfd inode numbers aside). smaps-kinds.smaps was captured on Linux 6.18 by smaps-kinds.c:
#   gcc -o smaps-kinds smaps-kinds.c && setarch -R ./smaps-kinds > smaps-kinds.smaps
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "\x01")
touch($a+4K, 1, READ)
mmap(0x100000010000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE|MAP_FIXED_NOREPLACE, -1, 0) = $n
store($n, "\x01")
mmap(0x100000020000, 8K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0)
mmap(0x100000030000, 4M, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $s
madvise($s, 4M, MADV_HUGEPAGE)
store($s, "\x01")
memfd_create("heap", 0) = $fd
ftruncate($fd, 12K)
mmap(0x100001000000, 12K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $m
store($m, "\x01")
mmap(0x100001010000, 12K, PROT_READ, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $fd, 4K) = $m2
touch($m2, 1, READ)
mmap(0x100001020000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $sa
touch($sa, 1, READ)
mmap(0x100001030000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK|MAP_GROWSDOWN|MAP_FIXED_NOREPLACE, -1, 0)
madvise($a+8K, 4K, MADV_DONTFORK)
mprotect($a+12K, 4K, PROT_NONE)
