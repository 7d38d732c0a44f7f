# SIGSEGV from protections and holes; x86_64 permission quirks.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

mmap(0x100000000000, 20K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "x")
mprotect($a, 4K, PROT_NONE) = 0
load($a, 1) = SIGSEGV
store($a, "y") = SIGSEGV
# the page stays resident under PROT_NONE; "ac" is kept because the VMA has an anon_vma
smaps($a) = {start=$a, end=$a+4K, perms="---p", Rss=4, Anonymous=4, VmFlags="mr mw me ac"}
mprotect($a, 4K, PROT_READ) = 0
load($a, 1) = "x"
store($a, "y") = SIGSEGV
# x86_64 without protection keys: write-only and exec-only pages are still readable
mprotect($a+4K, 4K, PROT_WRITE) = 0
load($a+4K, 1) = "\0"
store($a+4K, "w")
load($a+4K, 1) = "w"
smaps($a+4K) = {perms="-w-p", VmFlags="wr mr mw me ac"}
mprotect($a+8K, 4K, PROT_EXEC) = 0
load($a+8K, 1) = "\0"
store($a+8K, "e") = SIGSEGV
smaps($a+8K) = {perms="--xp", Rss=0, VmFlags="ex mr mw me ac"}
# a fresh PROT_NONE mapping: nothing but the "may" flags
mmap($a+12K, 4K, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = $a+12K
smaps($a+12K) = {perms="---p", VmFlags="mr mw me"}
load($a+12K, 1) = SIGSEGV
# a multi-byte store faults on its first inaccessible byte
store($a+16K-1, "ab") = SIGSEGV
load($a+16K, 1) = "\0"
# past the end of the mapping: no VMA at all
load($a+20K, 1) = SIGSEGV
vma_count($a, $a+20K) = 5
# read-only shared mapping: write faults; mprotect can upgrade it (the fd-less shmem allows it)
mmap(0x100000010000, 8K, PROT_READ, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $s
smaps($s) = {perms="r--s", VmFlags="rd sh mr mw me ms"}
load($s, 1) = "\0"
store($s, "s") = SIGSEGV
mprotect($s, 8K, PROT_READ|PROT_WRITE) = 0
store($s, "s")
load($s, 1) = "s"
smaps($s) = {perms="rw-s", VmFlags="rd wr sh mr mw me ms"}
