# fork() from a thread: the child is a copy of the process with one task, the caller's, whose tid is the
# child's pid. Private memory is copy-on-write as for any fork.
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "parent")
thread() = $t
thread() = $t2
[pid $t] fork() = $c
[pid $c] status() = {Threads=1}
[pid $c] gettid() = $c
[pid $c] getpid() = $c
[pid $c] load($a, 6) = "parent"
[pid $c] store($a, "child!") = 0
load($a, 6) = "parent"
[pid $t2] load($a, 6) = "parent"
smaps($a) = {Rss=4, Private_Dirty=4, Shared_Dirty=0}
[pid $c] thread() = $ct
[pid $ct] load($a, 6) = "child!"
[pid $c] status() = {Threads=2}
status() = {Threads=3}
