# After mlockall(MCL_FUTURE|MCL_ONFAULT) a new mapping is locked on fault, yet it must still fit RLIMIT_MEMLOCK:
# a MAP_POPULATE mapping larger than the limit is EAGAIN (mlock_future_ok()), a smaller one populates nothing.
setrlimit(RLIMIT_MEMLOCK, {rlim_cur=32K, rlim_max=8M}) = 0
mlockall(MCL_FUTURE|MCL_ONFAULT) = 0
mmap(0x100000000000, 64K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE|MAP_FIXED_NOREPLACE, -1, 0) = -1 EAGAIN (Resource temporarily unavailable)
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE|MAP_FIXED_NOREPLACE, -1, 0) = $a
smaps($a) = {start=$a, end=$a+16K, Rss=0, Locked=0, VmFlags="rd wr mr mw me lo lf ac"}
status() = {VmLck=16}
mmap(0x100000100000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 EAGAIN (Resource temporarily unavailable)
store($a+4K, "x")
smaps($a) = {Rss=4, Locked=4}
# munlockall clears def_flags: MAP_LOCKED alone then locks and populates
munlockall() = 0
mmap(0x100000100000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_LOCKED|MAP_FIXED_NOREPLACE, -1, 0) = $b
smaps($b) = {Rss=16, Locked=16, VmFlags="rd wr mr mw me lo ac"}
mmap(0x100000200000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_LOCKED|MAP_FIXED_NOREPLACE, -1, 0) = -1 EAGAIN (Resource temporarily unavailable)
status() = {VmLck=16}
validate()
