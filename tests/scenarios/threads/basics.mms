# Threads: the tasks of one process share its memory, mappings and fds; each has its own tid.
# thread() makes one, as pthread_create() does; [pid $t] runs a statement in it.
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
thread() = $t
[pid $t] gettid() = $t
[pid $t] getpid() = $main
gettid() = $main
status() = {Threads=2}

# A store by one thread is seen by the other; a mapping made by one is the other's too.
[pid $t] store($a, "from t") = 0
load($a, 6) = "from t"
[pid $t] mmap(0x100000002000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x100000002000
vma_count($a, $a+12K) = 1
munmap($a+8K, 4K) = 0
[pid $t] store($a+8K, "x") = SIGSEGV {si_code=SEGV_MAPERR, si_addr=$a+8K}

# So is the fd table: a memfd made in the main thread can be mapped by the other.
memfd_create("shared", 0) = $fd
ftruncate($fd, 4K) = 0
[pid $t] mmap(0x100000010000, 4K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = 0x100000010000
[pid $t] store(0x100000010000, "memfd") = 0
[pid $t] close($fd) = 0
close($fd) = -1 EBADF (Bad file descriptor)

# A third thread comes and goes: exit() ends that task only.
thread() = $u
status() = {Threads=3}
[pid $u] exit(0) = ?
status() = {Threads=2}
load(0x100000010000, 5) = "memfd"
