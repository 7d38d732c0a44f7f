# After mlockall(MCL_FUTURE) heap growth is locked and populated, and must fit RLIMIT_MEMLOCK, or brk() fails
# and returns the old break.
brk(0) = $brk0
setrlimit(RLIMIT_MEMLOCK, {rlim_cur=32K, rlim_max=8M}) = 0
mlockall(MCL_FUTURE) = 0
brk($brk0+64K) = $brk0
brk($brk0+8K) = $brk0+8K
smaps($brk0) = {end=$brk0+8K, Rss=8, Locked=8, VmFlags="rd wr mr mw me lo ac"}
status() = {VmLck=8}
brk($brk0+40K) = $brk0+8K
brk($brk0+32K) = $brk0+32K
status() = {VmLck=32}
# shrinking is always allowed and gives the lock back
brk($brk0+4K) = $brk0+4K
status() = {VmLck=4}
validate()
