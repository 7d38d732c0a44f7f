# RLIMIT_MEMLOCK: locking beyond the soft limit is ENOMEM for an unprivileged process; pages already locked
# in the range do not count twice. A zero limit is EPERM (can_do_mlock()).
mmap(0x100000000000, 64K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
setrlimit(RLIMIT_MEMLOCK, {rlim_cur=32K, rlim_max=8M}) = 0
mlock($a, 36K) = -1 ENOMEM (Cannot allocate memory)
smaps($a) = {Rss=0, Locked=0}
mlock($a, 32K) = 0
status() = {VmLck=32}
# overlapping what is locked already: only the 16K new pages count, and 48K > 32K
mlock($a+16K, 32K) = -1 ENOMEM (Cannot allocate memory)
# entirely inside the locked part: fine
mlock($a+8K, 16K) = 0
mlock2($a+32K, 4K, MLOCK_ONFAULT) = -1 ENOMEM (Cannot allocate memory)
# munlock frees room
munlock($a, 16K) = 0
mlock2($a+32K, 16K, MLOCK_ONFAULT) = 0
status() = {VmLck=32}
# mlockall(MCL_CURRENT) needs total_vm within the limit
mlockall(MCL_CURRENT) = -1 ENOMEM (Cannot allocate memory)
setrlimit(RLIMIT_MEMLOCK, {rlim_cur=0, rlim_max=8M}) = 0
mlock($a, 4K) = -1 EPERM (Operation not permitted)
mlockall(MCL_FUTURE) = -1 EPERM (Operation not permitted)
# munlock needs no permission
munlock($a, 64K) = 0
status() = {VmLck=0}
validate()
