# MAP_GROWSDOWN VMAs: fault-driven expansion, the 1 MiB stack guard gap,
# RLIMIT_STACK, and mprotect(PROT_GROWSDOWN).
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

mmap(0x100000400000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_GROWSDOWN, -1, 0) = $g
smaps($g) = {start=$g, end=$g+16K, perms="rw-p", VmFlags="rd wr mr mw me gd ac"}
# an access just below the VMA extends it downwards
store($g-4K, "a")
smaps($g) = {start=$g-4K, end=$g+16K, Size=20, Rss=4}
# an access further below extends it to that page, no matter how far (within the rlimit)
load($g-64K, 1) = "\0"
smaps($g) = {start=$g-64K, end=$g+16K, Size=80}
# a VMA below enforces stack_guard_gap (256 pages): expansion must keep 1 MiB free above it
mmap($g-2M, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $g-2M
load($g-1M-8K, 1) = SIGSEGV
smaps($g-1M-8K) = NULL
load($g-1M+4K, 1) = "\0"
smaps($g) = {start=$g-1M+4K, end=$g+16K}
# RLIMIT_STACK caps the size of a growing VMA
setrlimit(RLIMIT_STACK, {rlim_cur=1M, rlim_max=1M}) = 0
mmap(0x100000800000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_GROWSDOWN, -1, 0) = $h
load($h-1M+16K, 1) = "\0"
smaps($h) = {start=$h-1M+16K, end=$h+16K, Size=1024}
load($h-1M+12K, 1) = SIGSEGV
smaps($h) = {start=$h-1M+16K, Size=1024}
# mprotect(PROT_GROWSDOWN) applies from the VMA's start up to the given end
mprotect($g+8K, 4K, PROT_READ|PROT_GROWSDOWN) = 0
smaps($g) = {start=$g-1M+4K, end=$g+12K, perms="r--p", VmFlags="rd mr mw me gd ac"}
smaps($g+12K) = {start=$g+12K, end=$g+16K, perms="rw-p"}
# PROT_GROWSUP does not exist on x86
mprotect($g+8K, 4K, PROT_READ|PROT_GROWSUP) = -1 EINVAL (Invalid argument)
# PROT_GROWSDOWN on a VMA without VM_GROWSDOWN
mprotect($g-2M, 4K, PROT_READ|PROT_GROWSDOWN) = -1 EINVAL (Invalid argument)
# a fault below a PROT_NONE growsdown VMA still expands it, then raises SIGSEGV
# (never faulted, so losing PROT_WRITE also dropped "ac")
mmap(0x100000c00000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_GROWSDOWN, -1, 0) = $i
mprotect($i, 4K, PROT_NONE|PROT_GROWSDOWN) = 0
load($i-4K, 1) = SIGSEGV
smaps($i-4K) = {start=$i-4K, end=$i+4K, perms="---p", VmFlags="mr mw me gd"}
