# After mlockall(MCL_FUTURE) a MAP_GROWSDOWN mapping is locked like any new mapping (def_flags), and so is
# everything it grows by: expand_downwards() keeps the VMA's flags and adds the growth to locked_vm. Growth
# only faults in the page that was touched; the rest of the new range is locked but not populated, so VmLck
# counts all of it while smaps Locked counts what is resident. acct_stack_growth() checks the growth with
# mlock_future_ok(): beyond RLIMIT_MEMLOCK the VMA does not grow and the access gets SIGSEGV (SEGV_MAPERR).
# MCL_CURRENT is never used: on the kernel it would lock the host runner's own mappings.
# Nothing is mapped within stack_guard_gap (256 pages, 1M) below either growing mapping.
mlockall(MCL_FUTURE) = 0
mmap(0x100000400000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_GROWSDOWN, -1, 0) = $g
# locked and populated at once, as MAP_LOCKED would be
smaps($g) = {start=$g, end=$g+16K, Rss=16, Locked=16, VmFlags="rd wr mr mw me gd lo ac"}
status() = {VmLck=16}
# a store just below grows the VMA by one page, which is locked
store($g-4K, "grown")
smaps($g) = {start=$g-4K, end=$g+16K, Size=20, Rss=20, Locked=20, VmFlags="rd wr mr mw me gd lo ac"}
status() = {VmLck=20}
# a store further down grows it by 15 pages: all are counted in VmLck, only the touched one is populated
store($g-64K, "deep")
smaps($g) = {start=$g-64K, end=$g+16K, Size=80, Rss=24, Locked=24}
status() = {VmLck=80}
load($g-64K, 4) = "deep"
# a read fault in the grown range maps the zero page, which is never locked
load($g-32K, 1) = "\0"
smaps($g) = {Rss=24, Locked=24}
# RLIMIT_MEMLOCK limits growth: 20 pages are locked, 64 (256K) are allowed
setrlimit(RLIMIT_MEMLOCK, {rlim_cur=256K, rlim_max=8M}) = 0
# 240 more pages would be 260 > 64: the VMA does not grow, the access faults
store($g-1M, "x") = SIGSEGV
smaps($g-1M) = NULL
smaps($g) = {start=$g-64K, end=$g+16K, Size=80}
status() = {VmLck=80}
# exactly up to the limit: 44 more pages make 64
store($g-240K, "edge")
smaps($g) = {start=$g-240K, end=$g+16K, Size=256, Locked=28}
status() = {VmLck=256}
# one page more is over it
load($g-244K, 1) = SIGSEGV
smaps($g) = {start=$g-240K, Size=256}
# RLIMIT_STACK (8M) was never the reason: with room in RLIMIT_MEMLOCK the same accesses grow the VMA
setrlimit(RLIMIT_MEMLOCK, {rlim_cur=8M, rlim_max=8M}) = 0
load($g-244K, 1) = "\0"
store($g-1M, "x")
smaps($g) = {start=$g-1M, end=$g+16K, Size=1040, Locked=32}
status() = {VmLck=1040}
# MCL_FUTURE|MCL_ONFAULT: the new mapping is locked on fault (lo lf) and populates nothing
mlockall(MCL_FUTURE|MCL_ONFAULT) = 0
mmap(0x100000800000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_GROWSDOWN, -1, 0) = $h
smaps($h) = {start=$h, end=$h+16K, Rss=0, Locked=0, VmFlags="rd wr mr mw me gd lo lf ac"}
status() = {VmLck=1056}
# growth keeps lo lf: the faulted page is locked, the other grown pages count only in VmLck
store($h-16K, "onfault")
smaps($h) = {start=$h-16K, end=$h+16K, Size=32, Rss=4, Locked=4, VmFlags="rd wr mr mw me gd lo lf ac"}
status() = {VmLck=1072}
store($h+4K, "y")
smaps($h) = {Rss=8, Locked=8}
# the same mlock_future_ok() check: 268 pages are locked; a limit of 1088K (272 pages) leaves room for 4
setrlimit(RLIMIT_MEMLOCK, {rlim_cur=1088K, rlim_max=8M}) = 0
store($h-36K, "z") = SIGSEGV
smaps($h) = {start=$h-16K, Size=32}
store($h-32K, "z")
smaps($h) = {start=$h-32K, end=$h+16K, Size=48, Rss=12, Locked=12}
status() = {VmLck=1088}
load($h-36K, 1) = SIGSEGV
status() = {VmLck=1088}
# mlock_future_ok() lets a process with CAP_IPC_LOCK effective grow past RLIMIT_MEMLOCK
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_IPC_LOCK, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
load($h-36K, 1) = "\0"
smaps($h) = {start=$h-36K, end=$h+16K, Size=52, Rss=12, Locked=12}
status() = {VmLck=1092}
validate()
