# The two minimum addresses. vm.mmap_min_addr (4096 here) is what cap_mmap_addr() checks: mapping below it, that
# is page 0, needs CAP_SYS_RAWIO in the effective set. The kernel's mmap_min_addr is the larger
# CONFIG_LSM_MMAP_MIN_ADDR (64 KiB): hints are rounded up to it and stacks do not grow below it, but a fixed
# mapping between the two is allowed.
mmap(NULL, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = -1 EPERM (Operation not permitted)
mmap(0x1000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $low
smaps($low) = {start=0x1000, end=0x2000}
mmap(0x2000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $hinted
smaps($hinted) = {start=0x10000, end=0x11000}
# a stack at 0x12000 (with nothing within stack_guard_gap below) grows to 0x11000, not below 0x10000
munmap($low, 4K) = 0
munmap($hinted, 4K) = 0
mmap(0x12000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_GROWSDOWN, -1, 0) = $stack
store(0x11000, "x") = 0
smaps($stack) = {start=0x11000, end=0x13000}
store(0xf000, "x") = SIGSEGV {si_code=SEGV_MAPERR, si_addr=0xf000}
# page 0 with CAP_SYS_RAWIO
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_SYS_RAWIO, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
mmap(NULL, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0
store(0x10, "page zero")
load(0x10, 9) = "page zero"
smaps(0) = {start=0, end=0x1000, Rss=4}
munmap(0, 4K) = 0
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
mmap(NULL, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = -1 EPERM (Operation not permitted)
validate()
