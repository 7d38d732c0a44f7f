namespace MmSim.Abi;

// include/uapi/linux/userfaultfd.h of Linux 6.18 (newer than the machine's 6.1 headers), and the file flags
// userfaultfd(2) takes.

public static class OpenFlags
{
    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_RDWR = 2;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;
}

public static class Uffd
{
    /// <summary>userfaultfd(2)'s own flag: only faults from user mode are handled.</summary>
    public const int UFFD_USER_MODE_ONLY = 1;

    public const ulong UFFD_API = 0xAA;

    // struct uffdio_api.features
    public const ulong UFFD_FEATURE_PAGEFAULT_FLAG_WP = 1UL << 0;
    public const ulong UFFD_FEATURE_EVENT_FORK = 1UL << 1;
    public const ulong UFFD_FEATURE_EVENT_REMAP = 1UL << 2;
    public const ulong UFFD_FEATURE_EVENT_REMOVE = 1UL << 3;
    public const ulong UFFD_FEATURE_MISSING_HUGETLBFS = 1UL << 4;
    public const ulong UFFD_FEATURE_MISSING_SHMEM = 1UL << 5;
    public const ulong UFFD_FEATURE_EVENT_UNMAP = 1UL << 6;
    public const ulong UFFD_FEATURE_SIGBUS = 1UL << 7;
    public const ulong UFFD_FEATURE_THREAD_ID = 1UL << 8;
    public const ulong UFFD_FEATURE_MINOR_HUGETLBFS = 1UL << 9;
    public const ulong UFFD_FEATURE_MINOR_SHMEM = 1UL << 10;
    public const ulong UFFD_FEATURE_EXACT_ADDRESS = 1UL << 11;
    public const ulong UFFD_FEATURE_WP_HUGETLBFS_SHMEM = 1UL << 12;
    public const ulong UFFD_FEATURE_WP_UNPOPULATED = 1UL << 13;
    public const ulong UFFD_FEATURE_POISON = 1UL << 14;
    public const ulong UFFD_FEATURE_WP_ASYNC = 1UL << 15;
    public const ulong UFFD_FEATURE_MOVE = 1UL << 16;
    /// <summary>UFFD_API_FEATURES on this machine's kernel: every feature bit (0x1ffff).</summary>
    public const ulong UFFD_API_FEATURES = (1UL << 17) - 1;

    // ioctl numbers: _IOR/_IOWR/_IOW(UFFDIO = 0xAA, nr, struct)
    public const uint UFFDIO_API = 0xc018aa3f;
    public const uint UFFDIO_REGISTER = 0xc020aa00;
    public const uint UFFDIO_UNREGISTER = 0x8010aa01;
    public const uint UFFDIO_WAKE = 0x8010aa02;
    public const uint UFFDIO_COPY = 0xc028aa03;
    public const uint UFFDIO_ZEROPAGE = 0xc020aa04;
    public const uint UFFDIO_MOVE = 0xc028aa05;
    public const uint UFFDIO_WRITEPROTECT = 0xc018aa06;
    public const uint UFFDIO_CONTINUE = 0xc020aa07;
    public const uint UFFDIO_POISON = 0xc020aa08;

    // bit numbers in the ioctls masks
    public const int _UFFDIO_REGISTER = 0x00;
    public const int _UFFDIO_UNREGISTER = 0x01;
    public const int _UFFDIO_WAKE = 0x02;
    public const int _UFFDIO_COPY = 0x03;
    public const int _UFFDIO_ZEROPAGE = 0x04;
    public const int _UFFDIO_MOVE = 0x05;
    public const int _UFFDIO_WRITEPROTECT = 0x06;
    public const int _UFFDIO_CONTINUE = 0x07;
    public const int _UFFDIO_POISON = 0x08;
    public const int _UFFDIO_API = 0x3F;

    /// <summary>UFFD_API_IOCTLS: what a successful UFFDIO_API returns in ioctls.</summary>
    public const ulong UFFD_API_IOCTLS = (1UL << _UFFDIO_REGISTER) | (1UL << _UFFDIO_UNREGISTER) | (1UL << _UFFDIO_API);
    /// <summary>UFFD_API_RANGE_IOCTLS_BASIC plus MOVE and POISON: a MISSING registration's ioctls (0x13c).</summary>
    public const ulong UFFD_API_RANGE_IOCTLS = (1UL << _UFFDIO_WAKE) | (1UL << _UFFDIO_COPY) | (1UL << _UFFDIO_ZEROPAGE)
        | (1UL << _UFFDIO_MOVE) | (1UL << _UFFDIO_POISON);

    // struct uffdio_register.mode
    public const ulong UFFDIO_REGISTER_MODE_MISSING = 1UL << 0;
    public const ulong UFFDIO_REGISTER_MODE_WP = 1UL << 1;
    public const ulong UFFDIO_REGISTER_MODE_MINOR = 1UL << 2;

    // modes of the range operations
    public const ulong UFFDIO_COPY_MODE_DONTWAKE = 1UL << 0;
    public const ulong UFFDIO_COPY_MODE_WP = 1UL << 1;
    public const ulong UFFDIO_ZEROPAGE_MODE_DONTWAKE = 1UL << 0;
    public const ulong UFFDIO_WRITEPROTECT_MODE_WP = 1UL << 0;
    public const ulong UFFDIO_WRITEPROTECT_MODE_DONTWAKE = 1UL << 1;
    public const ulong UFFDIO_CONTINUE_MODE_DONTWAKE = 1UL << 0;
    public const ulong UFFDIO_CONTINUE_MODE_WP = 1UL << 1;
    public const ulong UFFDIO_POISON_MODE_DONTWAKE = 1UL << 0;
    public const ulong UFFDIO_MOVE_MODE_DONTWAKE = 1UL << 0;
    public const ulong UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES = 1UL << 1;

    // struct uffd_msg.event
    public const int UFFD_EVENT_PAGEFAULT = 0x12;
    public const int UFFD_EVENT_FORK = 0x13;
    public const int UFFD_EVENT_REMAP = 0x14;
    public const int UFFD_EVENT_REMOVE = 0x15;
    public const int UFFD_EVENT_UNMAP = 0x16;

    // struct uffd_msg.arg.pagefault.flags
    public const ulong UFFD_PAGEFAULT_FLAG_WRITE = 1UL << 0;
    public const ulong UFFD_PAGEFAULT_FLAG_WP = 1UL << 1;
    public const ulong UFFD_PAGEFAULT_FLAG_MINOR = 1UL << 2;
}
