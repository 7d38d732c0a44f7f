using System.Text;
using MmSim.Abi;
using MmSim.Scenario;

namespace MmSim.Tests.Scenario;

/// <summary>
/// A toy system under test: whole-mapping mmap/munmap/mprotect, byte-granular memory and canned /proc text.
/// It lets the interpreter's tests pin the echo and the expectation rules without depending on the model.
/// </summary>
internal sealed class FakeTarget : IScenarioTarget
{
    private readonly List<IScenarioProcess> _processes = [];

    public FakeTarget() => Main = Spawn(null);

    public IScenarioProcess Main { get; }

    public IReadOnlyList<IScenarioProcess> Processes => _processes;

    public int Validations { get; private set; }

    /// <summary>When set, Validate() throws it as a broken invariant.</summary>
    public string? BrokenInvariant { get; set; }

    public IScenarioProcess? FindProcess(int pid) => _processes.Find(p => p.Pid == pid);

    public string ProcMeminfo() => "MemTotal:        4194304 kB\nMemFree:         4194304 kB\n";

    public string ProcVmstat() => "nr_free_pages 1048576\n";

    public void Validate()
    {
        Validations++;
        if (BrokenInvariant is not null)
            throw new InvariantViolationException(BrokenInvariant);
    }

    public void Dispose()
    {
    }

    public Outcome Invoke(CallSpec call, CallFrame frame) => call.Invoke(frame);

    public void Settle()
    {
    }

    public Outcome? Resume(IScenarioProcess task) => null;

    public bool IsBlocked(IScenarioProcess task) => false;

    internal FakeProcess Spawn(FakeProcess? parent)
    {
        var process = new FakeProcess(this, _processes.Count + 1, parent);
        _processes.Add(process);
        return process;
    }
}

internal sealed class FakeProcess : IScenarioProcess
{
    private const ulong PageSize = 4096;
    private readonly FakeTarget _target;
    private readonly SortedDictionary<ulong, (ulong End, int Prot)> _vmas = [];
    private readonly Dictionary<ulong, byte> _memory = [];
    private readonly Dictionary<int, RLimit> _limits = [];
    private ulong _nextHint = 0x7f0000000000;

    public FakeProcess(FakeTarget target, int pid, FakeProcess? parent)
    {
        _target = target;
        Pid = pid;
        if (parent is null)
            return;
        foreach (var (start, vma) in parent._vmas)
            _vmas[start] = vma;
        foreach (var (addr, b) in parent._memory)
            _memory[addr] = b;
    }

    public int Pid { get; }
    /// <summary>The fake has no threads: each task is its own process.</summary>
    public int Tgid => Pid;
    public bool IsAlive { get; private set; } = true;
    public int KilledBySignal { get; private set; }
    public int ExitCode { get; private set; }

    public long Mmap(ulong addr, ulong length, int prot, int flags, int fd, long offset)
    {
        if (length == 0)
            return -(long)Errno.EINVAL;
        length = (length + PageSize - 1) & ~(PageSize - 1);
        if ((flags & Map.MAP_FIXED_NOREPLACE) != 0 && Overlaps(addr, addr + length))
            return -(long)Errno.EEXIST;
        if (addr == 0)
        {
            _nextHint -= length;
            addr = _nextHint;
        }
        _vmas[addr] = (addr + length, prot);
        return (long)addr;
    }

    public long Munmap(ulong addr, ulong length) => length == 0 || addr % PageSize != 0
        ? -(long)Errno.EINVAL
        : Ok(_vmas.Remove(addr));

    // Whole-mapping moves only: enough to exercise the call table.
    public long Mremap(ulong oldAddr, ulong oldSize, ulong newSize, int flags, ulong newAddr)
    {
        if (!_vmas.Remove(oldAddr, out var vma))
            return -(long)Errno.EFAULT;
        ulong to = (flags & Abi.Mremap.MREMAP_FIXED) != 0 ? newAddr : oldAddr;
        _vmas[to] = (to + newSize, vma.Prot);
        return (long)to;
    }

    public long Mprotect(ulong addr, ulong length, int prot)
    {
        if (!_vmas.TryGetValue(addr, out var vma))
            return -(long)Errno.ENOMEM;
        _vmas[addr] = (vma.End, prot);
        return 0;
    }

    public long Mlock(ulong addr, ulong length) => 0;

    public long Mlock2(ulong addr, ulong length, int flags) => 0;

    public long Munlock(ulong addr, ulong length) => 0;

    public long Mlockall(int flags) => 0;

    public long Munlockall() => 0;

    public long Madvise(ulong addr, ulong length, int advice) =>
        advice == Madv.MADV_HWPOISON ? throw new NotImplementedException("MADV_HWPOISON") : 0;

    public long Fork() => _target.Spawn(this).Pid;

    public long ExitGroup(int code)
    {
        IsAlive = false;
        ExitCode = code;
        return 0;
    }

    public long Kill(int pid, int sig)
    {
        if (_target.FindProcess(pid) is not FakeProcess victim)
            return -(long)Errno.ESRCH;
        victim.Die(sig);
        return 0;
    }

    public long Getpid() => Pid;

    public long Gettid() => Pid;

    public long Thread() => -(long)Errno.EAGAIN;

    public long Exit(int code) => ExitGroup(code);

    public long Userfaultfd(int flags) => -(long)Errno.ENOSYS;

    public long Ioctl(int fd, uint cmd, UserPtr arg) => -(long)Errno.ENOTTY;

    public long Read(int fd, UserPtr buf, ulong count) => -(long)Errno.EBADF;
    public long Poll(UserPtr fds, ulong nfds, int timeout) => -(long)Errno.EBADF;

    public long PidfdOpen(int pid, uint flags) => -(long)Errno.ESRCH;

    public long ProcessMadvise(int pidfd, UserPtr vec, ulong vlen, int advice, uint flags) => -(long)Errno.EBADF;

    public ulong Pagemap(ulong addr) => 0;

    public long Setrlimit(int resource, RLimit limit)
    {
        if (limit.Cur > limit.Max)
            return -(long)Errno.EINVAL;
        _limits[resource] = limit;
        return 0;
    }

    public long Getrlimit(int resource, out RLimit limit)
    {
        limit = _limits.GetValueOrDefault(resource, new RLimit(8UL << 20, Rlimit.RLIM_INFINITY));
        return 0;
    }

    private CapSets _caps;

    public long Prlimit64(int pid, int resource, RLimit? newLimit, out RLimit oldLimit)
    {
        Getrlimit(resource, out oldLimit);
        return newLimit is { } limit ? Setrlimit(resource, limit) : 0;
    }

    public long Capget(CapUserHeader? header, bool wantData, out CapSets data)
    {
        data = _caps;
        return header is null ? -(long)Errno.EFAULT : 0;
    }

    public long Capset(CapUserHeader? header, CapSets? data)
    {
        if (header is null || data is null)
            return -(long)Errno.EFAULT;
        _caps = data.Value;
        return 0;
    }

    public long Brk(ulong brk) => 0x555555559000;
    public long Msync(ulong addr, ulong length, int flags) => -(long)Errno.ENOSYS;
    public long Mincore(ulong addr, ulong length, ulong vec) => -(long)Errno.ENOSYS;
    public long MemfdCreate(string? name, uint flags) => name is null ? -(long)Errno.EFAULT : name.Length > Mfd.MFD_NAME_MAX_LEN ? -(long)Errno.EINVAL : 3;
    public long Ftruncate(int fd, long length) => -(long)Errno.ENOSYS;
    public long Close(int fd) => fd < 0 ? -(long)Errno.EBADF : 0;
    public long Dup(int fd) => -(long)Errno.ENOSYS;

    public AccessResult Store(ulong addr, ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            if (Fault(addr + (ulong)i, Prot.PROT_WRITE) is { Faulted: true } fault)
                return fault;
            _memory[addr + (ulong)i] = data[i];
        }
        return AccessResult.Ok;
    }

    public AccessResult Fill(ulong addr, ulong length, byte value) => Store(addr, Enumerable.Repeat(value, (int)length).ToArray());

    public AccessResult Load(ulong addr, Span<byte> into)
    {
        for (var i = 0; i < into.Length; i++)
        {
            if (Fault(addr + (ulong)i, Prot.PROT_READ) is { Faulted: true } fault)
                return fault;
            into[i] = _memory.GetValueOrDefault(addr + (ulong)i);
        }
        return AccessResult.Ok;
    }

    /// <summary>Touching a terabyte stands in for running out of memory: the OOM killer picks this process.</summary>
    public AccessResult Touch(ulong addr, ulong length, Access access)
    {
        if (length >= 1UL << 40)
        {
            Die(Signal.SIGKILL);
            return AccessResult.Killed;
        }
        for (var a = addr; a < addr + length; a += PageSize)
        {
            var need = access.HasFlag(Access.Write) ? Prot.PROT_WRITE : Prot.PROT_READ;
            if (Fault(a, need) is { Faulted: true } fault)
                return fault;
        }
        return AccessResult.Ok;
    }

    public string ProcMaps()
    {
        var sb = new StringBuilder();
        foreach (var (start, vma) in _vmas)
            sb.Append(MapsLine(start, vma)).Append('\n');
        return sb.ToString();
    }

    public string ProcSmaps() => string.Concat(_vmas.Keys.Select(k => ProcSmapsEntry(k)));

    public string ProcSmapsRollup() => "00001000-7ffffffff000 ---p 00000000 00:00 0                          [rollup]\nRss:                   0 kB\n";

    public string ProcStatus() => $"Name:\tfake\nUmask:\t0022\nState:\tR (running)\nPid:\t{Pid}\n"
        + $"VmSize:\t{_vmas.Sum(v => (long)(v.Value.End - v.Key)) / 1024,8} kB\n"
        + "VmLck:\t       0 kB\nVmRSS:\t       4 kB\nRssAnon:\t       4 kB\nThreads:\t1\n";

    public string? ProcSmapsEntry(ulong addr)
    {
        foreach (var (start, vma) in _vmas)
        {
            if (addr >= start && addr < vma.End)
            {
                var kb = (vma.End - start) / 1024;
                return $"{MapsLine(start, vma)}\nSize:            {kb,8} kB\nKernelPageSize:        4 kB\n"
                    + "Rss:                   0 kB\nAnonymous:             0 kB\nTHPeligible:    0\nVmFlags: rd wr mr mw me ac \n";
            }
        }
        return null;
    }

    public int VmaCount(ulong lo, ulong hi) => _vmas.Count(v => v.Key < hi && v.Value.End > lo);

    private static string MapsLine(ulong start, (ulong End, int Prot) vma) =>
        $"{start:x8}-{vma.End:x8} {((vma.Prot & Prot.PROT_READ) != 0 ? 'r' : '-')}"
        + $"{((vma.Prot & Prot.PROT_WRITE) != 0 ? 'w' : '-')}{((vma.Prot & Prot.PROT_EXEC) != 0 ? 'x' : '-')}p 00000000 00:00 0 ";

    private static long Ok(bool done) => done ? 0 : -(long)Errno.EINVAL;

    private bool Overlaps(ulong start, ulong end) => _vmas.Any(v => v.Key < end && v.Value.End > start);

    private AccessResult Fault(ulong addr, int need)
    {
        foreach (var (start, vma) in _vmas)
        {
            if (addr >= start && addr < vma.End)
                return (vma.Prot & need) == need ? AccessResult.Ok : AccessResult.Segv(Signal.SEGV_ACCERR, addr);
        }
        return AccessResult.Segv(Signal.SEGV_MAPERR, addr);
    }

    private void Die(int sig)
    {
        IsAlive = false;
        KilledBySignal = sig;
    }
}
