# pagemap(addr): the flag bits of /proc/PID/pagemap for one page, as the process reads its own (no PFN without
# CAP_SYS_ADMIN; soft-dirty is compiled out on this kernel).
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
pagemap($a) = {present=0, swapped=0, file=0, exclusive=0, soft_dirty=0, uffd_wp=0, guard=0}
store($a, "x")
pagemap($a) = {present=1, file=0, exclusive=1}
# The zero page: present, neither file nor exclusive.
load($a+4K, 1) = "\0"
pagemap($a+4K) = {present=1, file=0, exclusive=0}
# Shared by fork: no longer exclusive, in either process.
fork() = $c
pagemap($a) = {present=1, exclusive=0}
[pid $c] pagemap($a) = {present=1, exclusive=0}
[pid $c] store($a, "y")
[pid $c] pagemap($a) = {present=1, exclusive=1}
pagemap($a) = {present=1, exclusive=1}
# A memfd page is a file page; mapped twice, it is not exclusive.
memfd_create("m", 0) = $m
ftruncate($m, 4K) = 0
mmap(0x100000010000, 4K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $m, 0) = $s
store($s, "z")
pagemap($s) = {present=1, file=1, exclusive=1}
mmap(0x100000020000, 4K, PROT_READ, MAP_SHARED|MAP_FIXED_NOREPLACE, $m, 0) = $s2
load($s2, 1) = "z"
pagemap($s) = {present=1, file=1, exclusive=0}
# PROT_NONE keeps the page present.
mprotect($a, 4K, PROT_NONE) = 0
pagemap($a) = {present=1, exclusive=1}
# Nothing mapped: all zero.
pagemap(0x100000030000) = {present=0, file=0, exclusive=0}
