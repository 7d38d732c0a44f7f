using MmSim.Abi;

namespace MmSim.Scenario;

/// <summary>
/// The system a scenario runs on: the model (<see cref="ModelTarget"/>) or, later, the host's Linux kernel,
/// so that one file checks the model against the real thing. It starts with one process, <c>$main</c>.
/// </summary>
public interface IScenarioTarget : IDisposable
{
    IScenarioProcess Main { get; }

    /// <summary>The task with this id (a pid finds a process's first task), alive or dead, or null.</summary>
    IScenarioProcess? FindProcess(int pid);

    /// <summary>Every task the scenario has had, <c>$main</c> first, in creation order.</summary>
    IReadOnlyList<IScenarioProcess> Processes { get; }

    /// <summary>/proc/meminfo.</summary>
    string ProcMeminfo();

    /// <summary>/proc/vmstat: "name value" lines. The model's has MmSim's own counters (mremap_*), a kernel's does not.</summary>
    string ProcVmstat();

    /// <summary>
    /// Turns on a new swap file of <paramref name="bytes"/> (made as mkswap makes one) for the rest of the scenario: 0
    /// or -errno. The kernel target needs root, and turns it off and removes it when disposed.
    /// </summary>
    long Swapon(ulong bytes) => -(long)MmSim.Abi.Errno.ENOSYS;

    /// <summary>
    /// The swap the scenario turned on, from /proc/meminfo: SwapTotal, SwapFree and SwapCached in kB, less what the
    /// machine had when the target started (a real machine may have swap of its own).
    /// </summary>
    (long Total, long Free, long Cached) SwapInfo() => ProcText.SwapFields(ProcMeminfo());

    /// <summary>Sets a sysctl the model knows (vm.page-cluster) for the rest of the scenario: 0 or -errno.</summary>
    long Sysctl(string name, long value) => -(long)MmSim.Abi.Errno.ENOSYS;

    /// <summary>Checks the target's internal invariants; throws <see cref="InvariantViolationException"/> on a broken one.
    /// A real kernel has nothing to check here.</summary>
    void Validate();

    /// <summary>
    /// Makes a statement's call in its task (<see cref="CallFrame.Process"/>). <see cref="Outcome.Blocked"/> when the
    /// task blocked in it: the call then goes on in <see cref="Settle"/> once woken, and <see cref="Resume"/> gives
    /// its outcome.
    /// </summary>
    Outcome Invoke(CallSpec call, CallFrame frame);

    /// <summary>After each statement: tasks it woke go on with the calls they blocked in, until each completes or blocks again.</summary>
    void Settle();

    /// <summary>The outcome of the call <paramref name="task"/> blocked in, once it has completed; null while it is still blocked.</summary>
    Outcome? Resume(IScenarioProcess task);

    /// <summary>Whether <paramref name="task"/> is still in the call it blocked in, and so cannot make another (e.g. read /proc).</summary>
    bool IsBlocked(IScenarioProcess task);
}

/// <summary>
/// One task's syscalls, CPU accesses and /proc files, with <see cref="Process"/>'s signatures: syscalls
/// return a value or <c>-errno</c>. Each task of a scenario process is one of these; all but gettid() and exit()
/// act on the process the task belongs to. A syscall the scenario language learns is added here and in each target.
/// </summary>
public interface IScenarioProcess
{
    /// <summary>The task's id, as strace's <c>[pid N]</c> shows it (gettid()); a process's first task has the pid.</summary>
    int Pid { get; }
    /// <summary>The id of the task's process (getpid()).</summary>
    int Tgid { get; }
    /// <summary>The task has not exited, and its process lives.</summary>
    bool IsAlive { get; }
    /// <summary>The signal that ended the process, 0 if it exited or is alive.</summary>
    int KilledBySignal { get; }
    int ExitCode { get; }

    long Mmap(ulong addr, ulong length, int prot, int flags, int fd, long offset);
    long Munmap(ulong addr, ulong length);
    long Mremap(ulong oldAddr, ulong oldSize, ulong newSize, int flags, ulong newAddr);
    long Mprotect(ulong addr, ulong length, int prot);
    long Mlock(ulong addr, ulong length);
    long Mlock2(ulong addr, ulong length, int flags);
    long Munlock(ulong addr, ulong length);
    long Mlockall(int flags);
    long Munlockall();
    long Brk(ulong brk);
    long Msync(ulong addr, ulong length, int flags);
    long Mincore(ulong addr, ulong length, ulong vec);
    long Madvise(ulong addr, ulong length, int advice);
    long MemfdCreate(string? name, uint flags);
    long Ftruncate(int fd, long length);
    long Close(int fd);
    long Dup(int fd);
    long Fork();
    long ExitGroup(int code);
    /// <summary>exit(2): ends the calling task only; the last task of a process ends the process with its code.</summary>
    long Exit(int code);
    long Gettid();
    /// <summary>The thread() pseudo-call: a new task in the caller's process, as pthread_create() makes one. Returns its tid.</summary>
    long Thread();
    long Kill(int pid, int sig);
    long Getpid();
    long Setrlimit(int resource, RLimit limit);
    long Getrlimit(int resource, out RLimit limit);
    long Prlimit64(int pid, int resource, RLimit? newLimit, out RLimit oldLimit);
    long Capget(CapUserHeader? header, bool wantData, out CapSets data);
    long Capset(CapUserHeader? header, CapSets? data);
    long Userfaultfd(int flags);
    /// <summary>ioctl(2); a struct argument is a buffer the kernel reads and writes back (<see cref="UserPtr.Of"/>).</summary>
    long Ioctl(int fd, uint cmd, UserPtr arg);
    /// <summary>read(2); <see cref="TaskStruct.Blocked"/> when the task sleeps in it.</summary>
    long Read(int fd, UserPtr buf, ulong count);
    /// <summary>poll(2) over struct pollfd entries in a buffer the kernel writes back; <see cref="TaskStruct.Blocked"/> when it sleeps.</summary>
    long Poll(UserPtr fds, ulong nfds, int timeout);
    long PidfdOpen(int pid, uint flags);
    /// <summary>process_madvise(2) over struct iovec entries in a buffer (or at a raw pointer).</summary>
    long ProcessMadvise(int pidfd, UserPtr vec, ulong vlen, int advice, uint flags);

    AccessResult Store(ulong addr, ReadOnlySpan<byte> data);
    AccessResult Fill(ulong addr, ulong length, byte value);
    AccessResult Load(ulong addr, Span<byte> into);
    AccessResult Touch(ulong addr, ulong length, Access access);

    string ProcMaps();
    string ProcSmaps();
    /// <summary>/proc/PID/smaps_rollup, or null when opening it fails with ESRCH (the process's leader has exited).</summary>
    string? ProcSmapsRollup();
    string ProcStatus();
    /// <summary>The /proc/PID/smaps entry of the VMA containing addr, or null.</summary>
    string? ProcSmapsEntry(ulong addr);
    int VmaCount(ulong lo, ulong hi);
    /// <summary>The 64-bit /proc/PID/pagemap entry of the page containing addr (read by the process itself).</summary>
    ulong Pagemap(ulong addr);

    /// <summary>
    /// The /proc/kpageflags word (KPF_* bits) of the page that maps addr, or null when no page is mapped there. Needs
    /// root on the kernel target (the PFN comes from /proc/PID/pagemap).
    /// </summary>
    ulong? KpageFlags(ulong addr) => throw new ScenarioRuntimeException("pageflags() is not available on this target");
}
