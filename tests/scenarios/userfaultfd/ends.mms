# A task blocked in a fault ends with its process: exit_group() from another thread, or a fatal signal. Nothing is
# left waiting on the userfaultfd, and the memory is freed with the process.
fork() = $c
[pid $c] mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
[pid $c] userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
[pid $c] ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
[pid $c] ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
[pid $c] thread() = $t
[pid $t] store($a, "x") <unfinished ...>
[pid $c] exit_group(3) = ?
[pid $t] <... store resumed> = ?

fork() = $d
[pid $d] mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
[pid $d] userfaultfd(UFFD_USER_MODE_ONLY) = $v
[pid $d] ioctl($v, UFFDIO_API, {api=UFFD_API, features=0}) = 0
[pid $d] ioctl($v, UFFDIO_REGISTER, {range={start=$b, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
[pid $d] thread() = $reader
[pid $reader] read($v, ..., 32) <unfinished ...>
[pid $d] load($b, 1) <unfinished ...>
[pid $reader] <... read resumed> = 32
kill($d, SIGKILL) = 0
[pid $d] <... load resumed> = SIGKILL
kill($d, 0) = -1 ESRCH (No such process)
