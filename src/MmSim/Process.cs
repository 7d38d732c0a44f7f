using MmSim.Abi;

namespace MmSim;

/// <summary>
/// A simulated process (a single-threaded task_struct with its mm_struct, fd table and limits).
/// Syscalls return what the kernel returns: a non-negative value, or <c>-errno</c>.
/// A user's mistake never throws: it returns the errno Linux returns.
/// </summary>
public sealed partial class Process
{
    public int Pid { get; }
    public Kernel Kernel { get; }
    public bool IsAlive { get; private set; } = true;
    /// <summary>The signal that ended the process (0 if it exited or is alive).</summary>
    public int KilledBySignal { get; private set; }
    public int ExitCode { get; private set; }

    internal Process(Kernel kernel, int pid)
    {
        Kernel = kernel;
        Pid = pid;
    }

    // ---- memory-management syscalls (mm/mmap.c, mm/vma.c, mm/mprotect.c, mm/madvise.c, ...) ----
    public long Mmap(ulong addr, ulong length, int prot, int flags, int fd, long offset) => -(long)Errno.ENOSYS;
    public long Munmap(ulong addr, ulong length) => -(long)Errno.ENOSYS;
    public long Mprotect(ulong addr, ulong length, int prot) => -(long)Errno.ENOSYS;
    public long Brk(ulong brk) => -(long)Errno.ENOSYS;
    public long Msync(ulong addr, ulong length, int flags) => -(long)Errno.ENOSYS;
    /// <summary>mincore(2): the vector is written to process memory at <paramref name="vec"/>, as the kernel does.</summary>
    public long Mincore(ulong addr, ulong length, ulong vec) => -(long)Errno.ENOSYS;
    public long Madvise(ulong addr, ulong length, int advice) => -(long)Errno.ENOSYS;

    // ---- files ----
    public long MemfdCreate(string name, uint flags) => -(long)Errno.ENOSYS;
    public long Ftruncate(int fd, long length) => -(long)Errno.ENOSYS;
    public long Close(int fd) => -(long)Errno.ENOSYS;
    public long Dup(int fd) => -(long)Errno.ENOSYS;

    // ---- processes and limits ----
    /// <summary>fork(2): returns the child's pid in the parent.</summary>
    public long Fork() => -(long)Errno.ENOSYS;
    public long ExitGroup(int code) => -(long)Errno.ENOSYS;
    public long Kill(int pid, int sig) => -(long)Errno.ENOSYS;
    public long Getpid() => Pid;
    public long Setrlimit(int resource, RLimit limit) => -(long)Errno.ENOSYS;
    public long Getrlimit(int resource, out RLimit limit) { limit = default; return -(long)Errno.ENOSYS; }
    /// <summary>prlimit64(2): <paramref name="newLimit"/> null means NULL; the old limit is returned in <paramref name="oldLimit"/>.</summary>
    public long Prlimit64(int pid, int resource, RLimit? newLimit, out RLimit oldLimit) { oldLimit = default; return -(long)Errno.ENOSYS; }

    // ---- CPU accesses ----
    public AccessResult Store(ulong addr, ReadOnlySpan<byte> data) => default;
    public AccessResult Fill(ulong addr, ulong length, byte value) => default;
    public AccessResult Load(ulong addr, Span<byte> into) => default;
    /// <summary>One access per page of [addr, addr+length), in address order; stops at the first fault.</summary>
    public AccessResult Touch(ulong addr, ulong length, Access access) => default;

    // ---- observation (/proc/PID/...) ----
    public string ProcMaps() => "";
    public string ProcSmaps() => "";
    public string ProcSmapsRollup() => "";
    public string ProcStatus() => "";
    /// <summary>The smaps entry of the VMA containing addr, or null.</summary>
    public string? ProcSmapsEntry(ulong addr) => null;
    public int VmaCount(ulong lo, ulong hi) => 0;
}
