# MAP_SHARED|MAP_ANONYMOUS: shmem-backed, shared across fork, never merged.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $s
# shared anonymous memory is a deleted shmem file named /dev/zero; not "ac", but "sh" and "ms"
smaps($s) = {start=$s, end=$s+8K, perms="rw-s", name="/dev/zero (deleted)", Size=8, Rss=0, VmFlags="rd wr sh mr mw me ms"}
# unlike private anon, a read fault allocates a real (shmem) page: Rss grows, clean
load($s, 2) = "\0\0"
smaps($s) = {Rss=4, Pss=4, Private_Clean=4, Private_Dirty=0, Anonymous=0}
store($s, "pa")
# shmem pages are never counted as Anonymous
smaps($s) = {Rss=4, Anonymous=0}
fork() = $c
[pid $c] load($s, 2) = "pa"
# the child's write is visible to the parent
[pid $c] store($s+4K, "ch")
load($s+4K, 2) = "ch"
store($s, "PA")
[pid $c] load($s, 2) = "PA"
# both pages are mapped by two processes: Pss is half of Rss in each
smaps($s) = {Rss=8, Pss=4, Private_Clean=0, Private_Dirty=0, Anonymous=0}
[pid $c] smaps($s) = {Rss=8, Pss=4, Private_Clean=0, Private_Dirty=0}
# after the child exits the pages are private to the parent again
[pid $c] exit_group(0)
smaps($s) = {Rss=8, Pss=8, Shared_Clean=0, Shared_Dirty=0}
# a second shared anonymous mapping is a separate object ...
mmap($s+8K, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $s+8K
load($s+8K, 2) = "\0\0"
# ... and is never merged with its neighbour, even with identical flags
vma_count($s, $s+16K) = 2
smaps($s+8K) = {start=$s+8K, end=$s+16K, name="/dev/zero (deleted)"}
# partial munmap of a shared mapping keeps the rest's contents
munmap($s, 4K) = 0
load($s+4K, 2) = "ch"
smaps($s+4K) = {start=$s+4K, end=$s+8K, Rss=4}
