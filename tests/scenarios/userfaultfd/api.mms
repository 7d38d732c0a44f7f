# userfaultfd(2) and the UFFDIO_API handshake, as Linux 6.18 does them for an unprivileged process
# (vm.unprivileged_userfaultfd = 0, no CAP_SYS_PTRACE). docs/kernel-notes-userfaultfd.md has the measurements.

# Without UFFD_USER_MODE_ONLY an unprivileged caller gets EPERM, checked before unknown flags.
userfaultfd(0) = -1 EPERM (Operation not permitted)
userfaultfd(O_CLOEXEC|O_NONBLOCK) = -1 EPERM (Operation not permitted)
userfaultfd(2) = -1 EPERM (Operation not permitted)
userfaultfd(UFFD_USER_MODE_ONLY|2) = -1 EINVAL (Invalid argument)
userfaultfd(UFFD_USER_MODE_ONLY|0x100) = -1 EINVAL (Invalid argument)
userfaultfd(UFFD_USER_MODE_ONLY) = $u

# Before the handshake every other ioctl, and read(), are EINVAL, whatever their argument.
ioctl($u, UFFDIO_REGISTER, NULL) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_WAKE, {start=0x100000000000, len=4K}) = -1 EINVAL (Invalid argument)
read($u, ..., 32) = -1 EINVAL (Invalid argument)

# A failed handshake zeroes the whole struct and leaves the fd uninitialized.
ioctl($u, UFFDIO_API, {api=0xab, features=0 => features=0, ioctls=0}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_API, {api=UFFD_API, features=1<<17 => features=0, ioctls=0}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_EVENT_FORK => features=0, ioctls=0}) = -1 EPERM (Operation not permitted)
ioctl($u, UFFDIO_API, NULL) = -1 EFAULT (Bad address)

# Success reports every feature of this kernel, whatever was asked, and the fd-level ioctls.
ioctl($u, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_THREAD_ID => features=0x1ffff, ioctls=1<<_UFFDIO_REGISTER|1<<_UFFDIO_UNREGISTER|1<<_UFFDIO_API}) = 0

# Only one handshake: a second is EINVAL, after the kernel wrote the answer, and the struct is zeroed.
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0 => features=0, ioctls=0}) = -1 EINVAL (Invalid argument)

# Unknown commands are EINVAL, not ENOTTY; a memfd has no ioctls at all.
ioctl($u, 0xc018aa3e, NULL) = -1 EINVAL (Invalid argument)
memfd_create("m", 0) = $m
ioctl($m, UFFDIO_API, NULL) = -1 ENOTTY (Inappropriate ioctl for device)
ioctl(99, UFFDIO_API, NULL) = -1 EBADF (Bad file descriptor)

# Nothing to read: O_NONBLOCK was not given, but a second fd with it gets EAGAIN; a short read is EINVAL.
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK|O_CLOEXEC) = $nb
ioctl($nb, UFFDIO_API, {api=UFFD_API, features=0}) = 0
read($nb, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
read($nb, ..., 31) = -1 EINVAL (Invalid argument)
read($nb, NULL, 32) = -1 EAGAIN (Resource temporarily unavailable)

# A userfaultfd cannot be mapped.
mmap(NULL, 4K, PROT_READ, MAP_PRIVATE, $u, 0) = -1 ENODEV (No such device)
mmap(NULL, 4K, PROT_READ|PROT_WRITE, MAP_SHARED, $u, 0) = -1 EACCES (Permission denied)
close($u) = 0
close($nb) = 0
