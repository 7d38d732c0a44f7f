# MADV_DONTFORK / MADV_DOFORK / MADV_WIPEONFORK / MADV_KEEPONFORK and what the child gets.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, 16K, 0x61)
madvise($a+4K, 4K, MADV_DONTFORK) = 0
madvise($a+12K, 4K, MADV_WIPEONFORK) = 0
# both split the VMA: "dc" and "wf" are VmFlags
vma_count($a, $a+16K) = 4
smaps($a+4K) = {start=$a+4K, end=$a+8K, VmFlags="rd wr mr mw me dc ac"}
smaps($a+12K) = {start=$a+12K, end=$a+16K, Rss=4, VmFlags="rd wr mr mw me ac wf"}
fork() = $c
# DONTFORK: the child has no VMA there at all
[pid $c] vma_count($a, $a+16K) = 3
[pid $c] smaps($a+4K) = NULL
[pid $c] load($a+4K, 1) = SIGSEGV
# WIPEONFORK: the child has the VMA (flag inherited) but empty: reads zeros
[pid $c] smaps($a+12K) = {start=$a+12K, end=$a+16K, Rss=0, VmFlags="rd wr mr mw me ac wf"}
[pid $c] load($a+12K, 1) = "\0"
# ordinary pages are inherited
[pid $c] load($a, 1) = "a"
[pid $c] load($a+8K, 1) = "a"
# the parent keeps everything
load($a+4K, 1) = "a"
load($a+12K, 1) = "a"
# a grandchild also gets a wiped VMA
[pid $c] store($a+12K, "child")
[pid $c] fork() = $g
[pid $g] load($a+12K, 5) = "\0\0\0\0\0"
[pid $c] load($a+12K, 5) = "child"
# WIPEONFORK is only for private anonymous memory
mmap(0x100000100000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $s
madvise($s, 8K, MADV_WIPEONFORK) = -1 EINVAL (Invalid argument)
memfd_create("wipe", 0) = $fd
ftruncate($fd, 8K) = 0
mmap(0x100000200000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $fd, 0) = $p
madvise($p, 8K, MADV_WIPEONFORK) = -1 EINVAL (Invalid argument)
# DONTFORK works on shared mappings too; KEEPONFORK on a VMA without "wf" is fine
madvise($s, 8K, MADV_DONTFORK) = 0
smaps($s) = {VmFlags="rd wr sh mr mw me ms dc"}
madvise($s, 8K, MADV_KEEPONFORK) = 0
# undoing both lets the four pieces merge again
madvise($a+12K, 4K, MADV_KEEPONFORK) = 0
madvise($a+4K, 4K, MADV_DOFORK) = 0
vma_count($a, $a+16K) = 1
fork() = $d
[pid $d] load($a+4K, 1) = "a"
[pid $d] load($a+12K, 1) = "a"
[pid $d] vma_count($s, $s+8K) = 0
