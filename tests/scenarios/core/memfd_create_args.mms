# memfd_create: flag and name checks; names as shown in smaps.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).
#
# Order: unknown flag bits -> EINVAL (before the name is read, so even with NULL);
# MFD_EXEC with MFD_NOEXEC_SEAL -> EINVAL; then the name: NULL -> EFAULT,
# longer than 249 bytes (NAME_MAX - strlen("memfd:")) -> EINVAL.

# fds are allocated lowest-first after 0, 1, 2
memfd_create("first", 0) = 3
memfd_create("x", 0x20) = -1 EINVAL (Invalid argument)
memfd_create("x", 0x80000000) = -1 EINVAL (Invalid argument)
memfd_create("x", -1) = -1 EINVAL (Invalid argument)
memfd_create("x", MFD_EXEC|MFD_NOEXEC_SEAL) = -1 EINVAL (Invalid argument)
memfd_create(NULL, 0) = -1 EFAULT (Bad address)
memfd_create(NULL, 0x20) = -1 EINVAL (Invalid argument)
# 249 bytes is the longest name accepted
memfd_create("nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", 0) = 4
memfd_create("nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", 0) = -1 EINVAL (Invalid argument)
# the valid flags
memfd_create("x", MFD_CLOEXEC|MFD_ALLOW_SEALING|MFD_NOEXEC_SEAL) = 5
memfd_create("x", MFD_EXEC) = 6
# the failed calls consumed no fd numbers; names may be empty or contain '/' and spaces
memfd_create("", 0) = 7
# a closed fd number is reused
close(7) = 0
memfd_create("", 0) = 7
memfd_create("a/b", 0) = 8
memfd_create("with space", 0) = 9
ftruncate(7, 4K) = 0
ftruncate(8, 4K) = 0
ftruncate(9, 4K) = 0
mmap(0x100000000000, 4K, PROT_READ, MAP_SHARED|MAP_FIXED_NOREPLACE, 7, 0) = 0x100000000000
mmap(0x100000010000, 4K, PROT_READ, MAP_SHARED|MAP_FIXED_NOREPLACE, 8, 0) = 0x100000010000
mmap(0x100000020000, 4K, PROT_READ, MAP_SHARED|MAP_FIXED_NOREPLACE, 9, 0) = 0x100000020000
smaps(0x100000000000) = {name="/memfd: (deleted)"}
smaps(0x100000010000) = {name="/memfd:a/b (deleted)"}
smaps(0x100000020000) = {name="/memfd:with space (deleted)"}
# a new memfd starts empty: any access to a mapping of it is SIGBUS
memfd_create("empty", 0) = $z
mmap(0x100000030000, 4K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $z, 0) = 0x100000030000
load(0x100000030000, 1) = SIGBUS
smaps(0x100000030000) = {name="/memfd:empty (deleted)", Rss=0}
