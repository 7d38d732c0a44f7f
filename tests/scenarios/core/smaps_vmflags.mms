# smaps entries for each kind of mapping: name, perms and the exact VmFlags string
# (mnemonics in bit order: rd wr ex sh mr mw me ms gd ... dc ... ac nr ... wf dd ... hg nh mg).
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

# private anonymous, every field of the entry (this kernel prints exactly these)
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "x")
smaps($a) = {start=$a, end=$a+8K, perms="rw-p", name="", Size=8, KernelPageSize=4, MMUPageSize=4, Rss=4, Pss=4, Pss_Dirty=4, Shared_Clean=0, Shared_Dirty=0, Private_Clean=0, Private_Dirty=4, Referenced=4, Anonymous=4, KSM=0, LazyFree=0, AnonHugePages=0, ShmemPmdMapped=0, FilePmdMapped=0, Shared_Hugetlb=0, Private_Hugetlb=0, Swap=0, SwapPss=0, Locked=0, THPeligible=0, VmFlags="rd wr mr mw me ac"}
# read-only / exec / none private anonymous (never written: no "ac")
mmap(0x100000010000, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $r
smaps($r) = {perms="r--p", VmFlags="rd mr mw me"}
mmap(0x100000020000, 4K, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $x
smaps($x) = {perms="rwxp", VmFlags="rd wr ex mr mw me ac"}
mmap(0x100000030000, 4K, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $n
smaps($n) = {perms="---p", VmFlags="mr mw me"}
# MAP_NORESERVE: "nr" instead of "ac"; MAP_GROWSDOWN: "gd"; MAP_STACK: "nh" (no THP)
mmap(0x100000040000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_NORESERVE, -1, 0) = $o
smaps($o) = {VmFlags="rd wr mr mw me nr"}
mmap(0x100000050000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_GROWSDOWN, -1, 0) = $g
smaps($g) = {VmFlags="rd wr mr mw me gd ac"}
mmap(0x100000060000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_STACK, -1, 0) = $k
smaps($k) = {VmFlags="rd wr mr mw me ac nh"}
# madvise flags take their place in bit order
madvise($a, 8K, MADV_DONTFORK) = 0
smaps($a) = {VmFlags="rd wr mr mw me dc ac"}
madvise($a, 8K, MADV_WIPEONFORK) = 0
smaps($a) = {VmFlags="rd wr mr mw me dc ac wf"}
# shared anonymous: /dev/zero (deleted), "sh" and "ms", never "ac"
mmap(0x100000100000, 4K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $s
smaps($s) = {perms="rw-s", name="/dev/zero (deleted)", VmFlags="rd wr sh mr mw me ms"}
mmap(0x100000110000, 4K, PROT_NONE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $t
smaps($t) = {perms="---s", name="/dev/zero (deleted)", VmFlags="sh mr mw me ms"}
mmap(0x100000120000, 4K, PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_NORESERVE, -1, 0) = $u
smaps($u) = {perms="-w-s", VmFlags="wr sh mr mw me ms nr"}
# memfd: /memfd:NAME (deleted)
memfd_create("kinds", 0) = $fd
ftruncate($fd, 8K) = 0
mmap(0x100000200000, 4K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $m
smaps($m) = {perms="rw-s", name="/memfd:kinds (deleted)", VmFlags="rd wr sh mr mw me ms"}
mmap(0x100000210000, 4K, PROT_READ|PROT_EXEC, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $e
smaps($e) = {perms="r-xs", VmFlags="rd ex sh mr mw me ms"}
mmap(0x100000220000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $fd, 4K) = $p
smaps($p) = {perms="rw-p", name="/memfd:kinds (deleted)", VmFlags="rd wr mr mw me ac"}
mmap(0x100000230000, 4K, PROT_READ, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $fd, 0) = $q
smaps($q) = {perms="r--p", VmFlags="rd mr mw me"}
# shmem pages count as Rss but never as Anonymous; a private COW copy does
store($m, "m")
store($p, "p")
smaps($m) = {Rss=4, Anonymous=0}
smaps($p) = {Rss=4, Anonymous=4}
