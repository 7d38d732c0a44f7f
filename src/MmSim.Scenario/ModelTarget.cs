using MmSim.Abi;

namespace MmSim.Scenario;

/// <summary>Runs scenarios on a fresh MmSim <see cref="Kernel"/>.</summary>
public sealed class ModelTarget : IScenarioTarget
{
    private readonly List<IScenarioProcess> _processes = [];
    private readonly Dictionary<int, ModelProcess> _byPid = [];

    public ModelTarget(KernelConfig? config = null)
    {
        Kernel = new Kernel(config);
        Main = Adopt(Kernel.Init.Leader);
    }

    public Kernel Kernel { get; }

    public IScenarioProcess Main { get; }

    public IReadOnlyList<IScenarioProcess> Processes => _processes;

    public IScenarioProcess? FindProcess(int pid) =>
        _byPid.TryGetValue(pid, out var known) ? known
        : Kernel.FindTask(pid) is { } task ? Adopt(task)
        : null;

    public long Swapon(ulong bytes) => Kernel.Swapon(bytes);

    public long Sysctl(string name, long value) => Kernel.Sysctl(name, value);

    public string ProcMeminfo() => Kernel.ProcMeminfo();

    public string ProcVmstat() => Kernel.ProcVmstat();

    public void Validate() => Kernel.Validate();

    // Calls whose task blocked, by task: the call, its frame (where an access goes on from), and its outcome once done.
    private readonly Dictionary<ModelProcess, (CallSpec Call, CallFrame Frame, Outcome? Done)> _blocked = [];

    public Outcome Invoke(CallSpec call, CallFrame frame)
    {
        var task = (ModelProcess)frame.Process;
        var outcome = task.Run(call, frame);
        if (outcome is Outcome.Blocked)
            _blocked[task] = (call, frame, null);
        return outcome;
    }

    /// <summary>
    /// The model's scheduler, run between statements: every task woken since it blocked retries its call (a fault
    /// re-walks the page tables, an access goes on from the page it stopped at, a read() looks again), in the order
    /// they blocked, until none is left woken. Deterministic: one of the interleavings the kernel allows.
    /// </summary>
    public void Settle()
    {
        for (bool ran = true; ran;)
        {
            ran = false;
            foreach (var (task, (call, frame, done)) in _blocked.ToList())
            {
                if (done is not null)
                    continue;
                if (!task.IsAlive)
                {
                    _blocked[task] = (call, frame, task.Ended());
                    continue;
                }
                if (!task.Task.IsWoken)
                    continue;
                task.Task.Retried();
                var outcome = task.Run(call, frame);
                _blocked[task] = (call, frame, outcome is Outcome.Blocked ? null : outcome);
                ran = true;
            }
        }
    }

    public bool IsBlocked(IScenarioProcess task) =>
        _blocked.TryGetValue((ModelProcess)task, out var blocked) && blocked.Done is null;

    public Outcome? Resume(IScenarioProcess task)
    {
        var model = (ModelProcess)task;
        if (!_blocked.TryGetValue(model, out var blocked))
            return null;
        var done = blocked.Done ?? (model.IsAlive ? null : model.Ended());
        if (done is not null)
            _blocked.Remove(model);
        return done;
    }

    public void Dispose()
    {
    }

    private ModelProcess Adopt(TaskStruct task)
    {
        var adopted = new ModelProcess(this, task);
        _byPid[task.Tid] = adopted;
        _processes.Add(adopted);
        return adopted;
    }

    /// <summary>One task: gettid(), exit() and thread() are its own; every other call is its process's.</summary>
    private sealed class ModelProcess(ModelTarget target, TaskStruct task) : IScenarioProcess
    {
        private readonly Process p = task.Process;

        public TaskStruct Task => task;

        /// <summary>Makes the call as this task: it is the process's current one, which a fault blocks.</summary>
        public Outcome Run(CallSpec call, CallFrame frame)
        {
            p.Current = task;
            var outcome = call.Invoke(frame);
            if (outcome is Outcome.Blocked { At: not 0 } access)
                frame.ResumeAt = access.At;
            return outcome;
        }

        /// <summary>How a blocked call ends when its process dies meanwhile.</summary>
        public Outcome Ended() => p.KilledBySignal != 0 ? new Outcome.Killed(p.KilledBySignal) : new Outcome.Exited(p.ExitCode);

        public int Pid => task.Tid;
        public int Tgid => p.Pid;
        public bool IsAlive => task.IsAlive;
        public int KilledBySignal => p.KilledBySignal;
        public int ExitCode => p.ExitCode;

        public long Mmap(ulong addr, ulong length, int prot, int flags, int fd, long offset) =>
            p.Mmap(addr, length, prot, flags, fd, offset);
        public long Munmap(ulong addr, ulong length) => p.Munmap(addr, length);
        public long Mremap(ulong oldAddr, ulong oldSize, ulong newSize, int flags, ulong newAddr) =>
            p.Mremap(oldAddr, oldSize, newSize, flags, newAddr);
        public long Mprotect(ulong addr, ulong length, int prot) => p.Mprotect(addr, length, prot);
        public long Mlock(ulong addr, ulong length) => p.Mlock(addr, length);
        public long Mlock2(ulong addr, ulong length, int flags) => p.Mlock2(addr, length, flags);
        public long Munlock(ulong addr, ulong length) => p.Munlock(addr, length);
        public long Mlockall(int flags) => p.Mlockall(flags);
        public long Munlockall() => p.Munlockall();
        public long Brk(ulong brk) => p.Brk(brk);
        public long Msync(ulong addr, ulong length, int flags) => p.Msync(addr, length, flags);
        public long Mincore(ulong addr, ulong length, ulong vec) => p.Mincore(addr, length, vec);
        public long Madvise(ulong addr, ulong length, int advice) => p.Madvise(addr, length, advice);
        public long MemfdCreate(string? name, uint flags) => p.MemfdCreate(name, flags);
        public long Ftruncate(int fd, long length) => p.Ftruncate(fd, length);
        public long Close(int fd) => p.Close(fd);
        public long Dup(int fd) => p.Dup(fd);

        public long Fork()
        {
            var child = p.Fork();
            if (child > 0)
                target.FindProcess((int)child);
            return child;
        }

        public long ExitGroup(int code) => p.ExitGroup(code);
        public long Exit(int code) => task.Exit(code);
        public long Gettid() => task.Gettid();

        public long Thread()
        {
            var tid = task.Clone();
            if (tid > 0)
                target.FindProcess((int)tid);
            return tid;
        }

        public long Kill(int pid, int sig) => p.Kill(pid, sig);
        public long Getpid() => p.Getpid();
        public long Setrlimit(int resource, RLimit limit) => p.Setrlimit(resource, limit);
        public long Getrlimit(int resource, out RLimit limit) => p.Getrlimit(resource, out limit);
        public long Prlimit64(int pid, int resource, RLimit? newLimit, out RLimit oldLimit) =>
            p.Prlimit64(pid, resource, newLimit, out oldLimit);

        public long Capget(CapUserHeader? header, bool wantData, out CapSets data) => p.Capget(header, wantData, out data);

        public long Capset(CapUserHeader? header, CapSets? data) => p.Capset(header, data);
        public long Userfaultfd(int flags) => p.Userfaultfd(flags);
        public long Ioctl(int fd, uint cmd, UserPtr arg) => p.Ioctl(fd, cmd, arg);
        public long Read(int fd, UserPtr buf, ulong count) => p.Read(fd, buf, count);
        public long Poll(UserPtr fds, ulong nfds, int timeout) => p.Poll(fds, nfds, timeout);
        public long PidfdOpen(int pid, uint flags) => p.PidfdOpen(pid, flags);
        public long ProcessMadvise(int pidfd, UserPtr vec, ulong vlen, int advice, uint flags) =>
            p.ProcessMadvise(pidfd, vec, vlen, advice, flags);

        public AccessResult Store(ulong addr, ReadOnlySpan<byte> data) => p.Store(addr, data);
        public AccessResult Fill(ulong addr, ulong length, byte value) => p.Fill(addr, length, value);
        public AccessResult Load(ulong addr, Span<byte> into) => p.Load(addr, into);
        public AccessResult Touch(ulong addr, ulong length, Access access) => p.Touch(addr, length, access);

        public string ProcMaps() => p.ProcMaps();
        public string ProcSmaps() => p.ProcSmaps();
        public string? ProcSmapsRollup() => p.ProcSmapsRollup();
        public string ProcStatus() => p.ProcStatus();
        public string? ProcSmapsEntry(ulong addr) => p.ProcSmapsEntry(addr);
        public int VmaCount(ulong lo, ulong hi) => p.VmaCount(lo, hi);
        public ulong Pagemap(ulong addr) => p.Pagemap(addr);

        public ulong? KpageFlags(ulong addr) => p.KpageFlags(addr);
    }
}
