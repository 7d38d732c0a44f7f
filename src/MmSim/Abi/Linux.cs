namespace MmSim.Abi;

// Linux x86-64 UAPI constants, named as the kernel headers name them so a kernel developer can grep.
// The scenario language resolves flag symbols through Symbols (MmSim.Scenario), which reads these.

public static class Prot
{
    public const int PROT_NONE = 0x0;
    public const int PROT_READ = 0x1;
    public const int PROT_WRITE = 0x2;
    public const int PROT_EXEC = 0x4;
    public const int PROT_SEM = 0x8;
    public const int PROT_GROWSDOWN = 0x01000000;
    public const int PROT_GROWSUP = 0x02000000;
}

public static class Map
{
    public const int MAP_SHARED = 0x01;
    public const int MAP_PRIVATE = 0x02;
    public const int MAP_SHARED_VALIDATE = 0x03;
    public const int MAP_DROPPABLE = 0x08;
    public const int MAP_TYPE = 0x0f;
    public const int MAP_FIXED = 0x10;
    public const int MAP_ANONYMOUS = 0x20;
    public const int MAP_32BIT = 0x40;
    public const int MAP_ABOVE4G = 0x80;
    public const int MAP_GROWSDOWN = 0x0100;
    public const int MAP_DENYWRITE = 0x0800;
    public const int MAP_EXECUTABLE = 0x1000;
    public const int MAP_LOCKED = 0x2000;
    public const int MAP_NORESERVE = 0x4000;
    public const int MAP_POPULATE = 0x8000;
    public const int MAP_NONBLOCK = 0x10000;
    public const int MAP_STACK = 0x20000;
    public const int MAP_HUGETLB = 0x40000;
    public const int MAP_SYNC = 0x80000;
    public const int MAP_FIXED_NOREPLACE = 0x100000;
    public const int MAP_UNINITIALIZED = 0x4000000;

    /// <summary>Flags that MAP_SHARED_VALIDATE accepts (include/linux/mman.h LEGACY_MAP_MASK).</summary>
    public const int LEGACY_MAP_MASK = MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE
        | MAP_EXECUTABLE | MAP_UNINITIALIZED | MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE
        | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB;
}

public static class Madv
{
    public const int MADV_NORMAL = 0;
    public const int MADV_RANDOM = 1;
    public const int MADV_SEQUENTIAL = 2;
    public const int MADV_WILLNEED = 3;
    public const int MADV_DONTNEED = 4;
    public const int MADV_FREE = 8;
    public const int MADV_REMOVE = 9;
    public const int MADV_DONTFORK = 10;
    public const int MADV_DOFORK = 11;
    public const int MADV_MERGEABLE = 12;
    public const int MADV_UNMERGEABLE = 13;
    public const int MADV_HUGEPAGE = 14;
    public const int MADV_NOHUGEPAGE = 15;
    public const int MADV_DONTDUMP = 16;
    public const int MADV_DODUMP = 17;
    public const int MADV_WIPEONFORK = 18;
    public const int MADV_KEEPONFORK = 19;
    public const int MADV_COLD = 20;
    public const int MADV_PAGEOUT = 21;
    public const int MADV_POPULATE_READ = 22;
    public const int MADV_POPULATE_WRITE = 23;
    public const int MADV_DONTNEED_LOCKED = 24;
    public const int MADV_COLLAPSE = 25;
    public const int MADV_HWPOISON = 100;
    public const int MADV_SOFT_OFFLINE = 101;
    public const int MADV_GUARD_INSTALL = 102;
    public const int MADV_GUARD_REMOVE = 103;
}

/// <summary>pidfd_open(2) flags (include/uapi/linux/pidfd.h) and the iovec limit (UIO_MAXIOV).</summary>
public static class Pidfd
{
    public const int PIDFD_NONBLOCK = 0x800;
    public const int PIDFD_THREAD = 0x80;
    public const int UIO_MAXIOV = 1024;
}

public static class Mremap
{
    public const int MREMAP_MAYMOVE = 1;
    public const int MREMAP_FIXED = 2;
    public const int MREMAP_DONTUNMAP = 4;
}

public static class Mlock
{
    public const int MLOCK_ONFAULT = 1;
    public const int MCL_CURRENT = 1;
    public const int MCL_FUTURE = 2;
    public const int MCL_ONFAULT = 4;
}

public static class Msync
{
    public const int MS_ASYNC = 1;
    public const int MS_INVALIDATE = 2;
    public const int MS_SYNC = 4;
}

public static class Mfd
{
    public const uint MFD_CLOEXEC = 0x0001;
    public const uint MFD_ALLOW_SEALING = 0x0002;
    public const uint MFD_HUGETLB = 0x0004;
    public const uint MFD_NOEXEC_SEAL = 0x0008;
    public const uint MFD_EXEC = 0x0010;
    /// <summary>Name length limit, not counting the "memfd:" prefix (mm/memfd.c MFD_NAME_MAX_LEN).</summary>
    public const int MFD_NAME_MAX_LEN = 255 - 6;
}

public static class Rlimit
{
    public const int RLIMIT_CPU = 0;
    public const int RLIMIT_FSIZE = 1;
    public const int RLIMIT_DATA = 2;
    public const int RLIMIT_STACK = 3;
    public const int RLIMIT_CORE = 4;
    public const int RLIMIT_RSS = 5;
    public const int RLIMIT_NPROC = 6;
    public const int RLIMIT_NOFILE = 7;
    public const int RLIMIT_MEMLOCK = 8;
    public const int RLIMIT_AS = 9;
    public const int RLIMIT_LOCKS = 10;
    public const int RLIMIT_SIGPENDING = 11;
    public const int RLIMIT_MSGQUEUE = 12;
    public const int RLIMIT_NICE = 13;
    public const int RLIMIT_RTPRIO = 14;
    public const int RLIMIT_RTTIME = 15;
    public const int RLIM_NLIMITS = 16;
    public const ulong RLIM_INFINITY = ulong.MaxValue;
}

/// <summary>A resource limit, as struct rlimit64.</summary>
public readonly record struct RLimit(ulong Cur, ulong Max);

public static class Signal
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGILL = 4;
    public const int SIGTRAP = 5;
    public const int SIGABRT = 6;
    public const int SIGBUS = 7;
    public const int SIGFPE = 8;
    public const int SIGKILL = 9;
    public const int SIGUSR1 = 10;
    public const int SIGSEGV = 11;
    public const int SIGUSR2 = 12;
    public const int SIGPIPE = 13;
    public const int SIGALRM = 14;
    public const int SIGTERM = 15;
    public const int SIGSTKFLT = 16;
    public const int SIGCHLD = 17;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;
    public const int SIGTSTP = 20;
    public const int SIGTTIN = 21;
    public const int SIGTTOU = 22;
    public const int SIGURG = 23;
    public const int SIGXCPU = 24;
    public const int SIGXFSZ = 25;
    public const int SIGVTALRM = 26;
    public const int SIGPROF = 27;
    public const int SIGWINCH = 28;
    public const int SIGIO = 29;
    public const int SIGPWR = 30;
    public const int SIGSYS = 31;

    public const int SEGV_MAPERR = 1;
    public const int SEGV_ACCERR = 2;
    public const int BUS_ADRALN = 1;
    public const int BUS_ADRERR = 2;
    public const int BUS_OBJERR = 3;

    public static string Name(int sig) => sig switch
    {
        SIGHUP => "SIGHUP", SIGINT => "SIGINT", SIGQUIT => "SIGQUIT", SIGILL => "SIGILL", SIGTRAP => "SIGTRAP",
        SIGABRT => "SIGABRT", SIGBUS => "SIGBUS", SIGFPE => "SIGFPE", SIGKILL => "SIGKILL", SIGUSR1 => "SIGUSR1",
        SIGSEGV => "SIGSEGV", SIGUSR2 => "SIGUSR2", SIGPIPE => "SIGPIPE", SIGALRM => "SIGALRM", SIGTERM => "SIGTERM",
        SIGSTKFLT => "SIGSTKFLT", SIGCHLD => "SIGCHLD", SIGCONT => "SIGCONT", SIGSTOP => "SIGSTOP", SIGTSTP => "SIGTSTP",
        SIGTTIN => "SIGTTIN", SIGTTOU => "SIGTTOU", SIGURG => "SIGURG", SIGXCPU => "SIGXCPU", SIGXFSZ => "SIGXFSZ",
        SIGVTALRM => "SIGVTALRM", SIGPROF => "SIGPROF", SIGWINCH => "SIGWINCH", SIGIO => "SIGIO", SIGPWR => "SIGPWR",
        SIGSYS => "SIGSYS", _ => $"SIG{sig}",
    };

    public static string CodeName(int sig, int code) => (sig, code) switch
    {
        (SIGSEGV, SEGV_MAPERR) => "SEGV_MAPERR",
        (SIGSEGV, SEGV_ACCERR) => "SEGV_ACCERR",
        (SIGBUS, BUS_ADRALN) => "BUS_ADRALN",
        (SIGBUS, BUS_ADRERR) => "BUS_ADRERR",
        (SIGBUS, BUS_OBJERR) => "BUS_OBJERR",
        _ => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>include/uapi/linux/capability.h: capability numbers (bit positions) and capget/capset header versions.</summary>
public static class Capability
{
    public const uint _LINUX_CAPABILITY_VERSION_1 = 0x19980330;
    public const uint _LINUX_CAPABILITY_VERSION_2 = 0x20071026;
    public const uint _LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    public const int CAP_CHOWN = 0;
    public const int CAP_DAC_OVERRIDE = 1;
    public const int CAP_DAC_READ_SEARCH = 2;
    public const int CAP_FOWNER = 3;
    public const int CAP_FSETID = 4;
    public const int CAP_KILL = 5;
    public const int CAP_SETGID = 6;
    public const int CAP_SETUID = 7;
    public const int CAP_SETPCAP = 8;
    public const int CAP_LINUX_IMMUTABLE = 9;
    public const int CAP_NET_BIND_SERVICE = 10;
    public const int CAP_NET_BROADCAST = 11;
    public const int CAP_NET_ADMIN = 12;
    public const int CAP_NET_RAW = 13;
    public const int CAP_IPC_LOCK = 14;
    public const int CAP_IPC_OWNER = 15;
    public const int CAP_SYS_MODULE = 16;
    public const int CAP_SYS_RAWIO = 17;
    public const int CAP_SYS_CHROOT = 18;
    public const int CAP_SYS_PTRACE = 19;
    public const int CAP_SYS_PACCT = 20;
    public const int CAP_SYS_ADMIN = 21;
    public const int CAP_SYS_BOOT = 22;
    public const int CAP_SYS_NICE = 23;
    public const int CAP_SYS_RESOURCE = 24;
    public const int CAP_SYS_TIME = 25;
    public const int CAP_SYS_TTY_CONFIG = 26;
    public const int CAP_MKNOD = 27;
    public const int CAP_LEASE = 28;
    public const int CAP_AUDIT_WRITE = 29;
    public const int CAP_AUDIT_CONTROL = 30;
    public const int CAP_SETFCAP = 31;
    public const int CAP_MAC_OVERRIDE = 32;
    public const int CAP_MAC_ADMIN = 33;
    public const int CAP_SYSLOG = 34;
    public const int CAP_WAKE_ALARM = 35;
    public const int CAP_BLOCK_SUSPEND = 36;
    public const int CAP_AUDIT_READ = 37;
    public const int CAP_PERFMON = 38;
    public const int CAP_BPF = 39;
    public const int CAP_CHECKPOINT_RESTORE = 40;
    public const int CAP_LAST_CAP = CAP_CHECKPOINT_RESTORE;

    /// <summary>CAP_VALID_MASK: the bits capset() keeps; higher ones are dropped silently.</summary>
    public const ulong CAP_VALID_MASK = (1UL << (CAP_LAST_CAP + 1)) - 1;

    /// <summary>The mask of one capability, as strace prints it: <c>1&lt;&lt;CAP_IPC_LOCK</c>.</summary>
    public static ulong Bit(int cap) => 1UL << cap;
}

/// <summary>poll(2)'s event bits (include/uapi/asm-generic/poll.h).</summary>
public static class Poll
{
    public const int POLLIN = 0x0001;
    public const int POLLPRI = 0x0002;
    public const int POLLOUT = 0x0004;
    public const int POLLERR = 0x0008;
    public const int POLLHUP = 0x0010;
    public const int POLLNVAL = 0x0020;
    public const int POLLRDNORM = 0x0040;
    public const int POLLRDBAND = 0x0080;
    public const int POLLWRNORM = 0x0100;
    public const int POLLWRBAND = 0x0200;
}
