# mprotect: argument checks and their order, splitting, re-merging, partial
# application when the range has a hole, VM_ACCOUNT ("ac") bookkeeping.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).
#
# Order (do_mprotect_pkey): GROWSDOWN|GROWSUP both -> EINVAL; start unaligned -> EINVAL;
# len 0 -> 0; end wraps -> ENOMEM; unknown prot bits -> EINVAL; then the VMA walk (ENOMEM).

mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mprotect($a+1, 4K, PROT_READ) = -1 EINVAL (Invalid argument)
mprotect($a, 4K, 0x10) = -1 EINVAL (Invalid argument)
mprotect($a, 4K, PROT_READ|PROT_GROWSDOWN|PROT_GROWSUP) = -1 EINVAL (Invalid argument)
# len 0 succeeds before prot is even looked at; unaligned start still wins
mprotect($a, 0, 0x10) = 0
mprotect($a+1, 0, PROT_READ) = -1 EINVAL (Invalid argument)
# a wrapping range is ENOMEM, before the prot check
mprotect($a, -4K, 0x10) = -1 ENOMEM (Cannot allocate memory)
# unknown prot is checked before looking for a VMA
mprotect(0x100000100000, 4K, 0x10) = -1 EINVAL (Invalid argument)
mprotect(0x100000100000, 4K, PROT_READ) = -1 ENOMEM (Cannot allocate memory)
# PROT_GROWSDOWN on a VMA without VM_GROWSDOWN
mprotect($a, 4K, PROT_READ|PROT_GROWSDOWN) = -1 EINVAL (Invalid argument)
# PROT_SEM is accepted on x86
mprotect($a, 4K, PROT_READ|PROT_WRITE|PROT_SEM) = 0
# an unfaulted anonymous VMA that loses write access also loses "ac"
mprotect($a, 1, PROT_READ) = 0
smaps($a) = {start=$a, end=$a+4K, perms="r--p", VmFlags="rd mr mw me"}
vma_count($a, $a+16K) = 2
# middle split
mprotect($a+8K, 4K, PROT_NONE) = 0
vma_count($a, $a+16K) = 4
smaps($a+8K) = {start=$a+8K, end=$a+12K, perms="---p", VmFlags="mr mw me"}
# restoring the protections re-merges everything ("ac" is charged again)
mprotect($a, 16K, PROT_READ|PROT_WRITE) = 0
vma_count($a, $a+16K) = 1
smaps($a) = {start=$a, end=$a+16K, perms="rw-p", VmFlags="rd wr mr mw me ac"}
# once faulted (anon_vma present), removing write keeps "ac"
store($a, 16K, 0x61)
mprotect($a+4K, 4K, PROT_READ) = 0
smaps($a+4K) = {start=$a+4K, end=$a+8K, perms="r--p", Rss=4, VmFlags="rd mr mw me ac"}
mprotect($a+4K, 4K, PROT_READ|PROT_WRITE) = 0
vma_count($a, $a+16K) = 1
# a hole in the range: ENOMEM, but the part before the hole was already changed
munmap($a+8K, 4K) = 0
mprotect($a, 16K, PROT_READ) = -1 ENOMEM (Cannot allocate memory)
smaps($a) = {start=$a, end=$a+8K, perms="r--p"}
smaps($a+12K) = {start=$a+12K, end=$a+16K, perms="rw-p"}
store($a, "x") = SIGSEGV
store($a+12K, "x")
# the range may not start in a hole either
mprotect($a+8K, 8K, PROT_READ) = -1 ENOMEM (Cannot allocate memory)
smaps($a+12K) = {perms="rw-p"}
