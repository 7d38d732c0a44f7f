# /proc/meminfo Mlocked and Unevictable: pages with PG_mlocked, counted once however many locked mappings map
# them. meminfo() is the whole machine's; diff compares these two lines as changes since the scenario began (the
# kernel target drains the per-CPU mlock batches and folds the vmstat deltas first, so they are exact).
mmap(0x100000000000, 400K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
meminfo()
mlock($a, 100K) = 0
meminfo()
# lock on fault: only written pages count; a read fault maps the zero page, which is never locked
mlock2($a+100K, 300K, MLOCK_ONFAULT) = 0
touch($a+100K, 160K, WRITE)
touch($a+260K, 40K, READ)
meminfo()
munmap($a, 40K) = 0
meminfo()
munlock($a+40K, 20K) = 0
meminfo()
# a memfd locked in two processes: its pages count once, until the last lock goes
memfd_create("locked", 0) = $fd
ftruncate($fd, 64K) = 0
mmap(0x100001000000, 64K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $m
mlock($m, 64K) = 0
fork() = $c
[pid $c] mlock($m, 64K) = 0
meminfo()
munlock($m, 64K) = 0
meminfo()
# the child's private copies of the parent's locked pages are its own, and not locked
[pid $c] store($a+40K, 8K, 0x55)
meminfo()
[pid $c] exit_group(0)
meminfo()
munmap($m, 64K) = 0
munmap($a, 400K) = 0
meminfo()
validate()
