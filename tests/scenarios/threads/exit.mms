# How tasks end. exit() ends one task; the process ends with the last one, with that task's status.
# exit_group() from any task ends them all, and so does a fatal signal sent to any task's id.
mmap(0x100000000000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "kept")

# A child whose leader exits first: the process lives on in its thread, but /proc/PID is the leader's, a
# zombie now: no mm shows there (maps and smaps are empty, smaps_rollup cannot be opened), though the memory is.
fork() = $c
[pid $c] thread() = $ct
[pid $c] exit(0) = ?
[pid $ct] load($a, 4) = "kept"
[pid $ct] smaps($a) = NULL
[pid $ct] smaps_rollup() = -1 ESRCH (No such process)
[pid $ct] status() = {Threads=2}
[pid $ct] getpid() = $c
[pid $ct] exit(7) = ?

# exit_group() from a thread ends the leader too.
fork() = $d
[pid $d] thread() = $dt
[pid $dt] exit_group(3) = ?

# kill() with a thread's id signals its whole process.
fork() = $e
[pid $e] thread() = $et
kill($et, SIGKILL) = 0
kill($e, 0) = -1 ESRCH (No such process)
kill($et, 0) = -1 ESRCH (No such process)

# The main process's threads, for the same.
thread() = $t
thread() = $t2
[pid $t2] kill($t, 0) = 0
[pid $t] exit(0) = ?
[pid $t2] kill($t, 0) = -1 ESRCH (No such process)
status() = {Threads=2}
