using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using MmSim.Abi;
using MmSim.Scenario;

namespace MmSim.Host;

/// <summary>
/// What the tasks of one scenario process share on the C# side: how the process ended. A task's connection
/// that closes without exit() or exit_group() announced means the whole process was killed.
/// </summary>
internal sealed class HostThreadGroup(int pid)
{
    public int Pid { get; } = pid;

    /// <summary>The process has ended: every task's connection closes.</summary>
    public bool Ended { get; set; }

    /// <summary>exit_group(), or exit() of the last task, announced the end and its code.</summary>
    public bool ExitAnnounced { get; set; }

    public int ExitCode { get; set; }

    public int KilledBySignal { get; set; }

    /// <summary>The last signal with a fatal default action that a kill() in the scenario aimed at this process.</summary>
    public int LastKillSignal { get; set; }
}

/// <summary>
/// One scenario task on the host: a thread of a runner process (native/mmsim-host.c) that performs each call
/// for real and answers over its own connection. <see cref="Pid"/> is the task's id, as strace's <c>[pid N]</c>
/// shows it; for a process's first task it is the pid. Syscalls return the raw kernel value, <c>-errno</c> on failure.
/// </summary>
internal sealed class HostProcess : IScenarioProcess
{
    // arch/x86/entry/syscalls/syscall_64.tbl
    private const long NrClose = 3;
    private const long NrMmap = 9;
    private const long NrMprotect = 10;
    private const long NrMunmap = 11;
    private const long NrBrk = 12;
    private const long NrMremap = 25;
    private const long NrMsync = 26;
    private const long NrMincore = 27;
    private const long NrMadvise = 28;
    private const long NrDup = 32;
    private const long NrGetpid = 39;
    private const long NrGettid = 186;
    private const long NrRead = 0;
    private const long NrIoctl = 16;
    private const long NrPoll = 7;
    private const long NrUserfaultfd = 323;
    private const long NrKill = 62;
    private const long NrFtruncate = 77;
    private const long NrGetrlimit = 97;
    private const long NrSetrlimit = 160;
    private const long NrPrlimit64 = 302;
    private const long NrMemfdCreate = 319;
    private const long NrMlock = 149;
    private const long NrMunlock = 150;
    private const long NrMlockall = 151;
    private const long NrMunlockall = 152;
    private const long NrMlock2 = 325;
    private const long NrPidfdOpen = 434;
    private const long NrProcessMadvise = 440;
    private const long NrCapget = 125;
    private const long NrCapset = 126;
    private const long NrMbind = 237;
    private const ulong MpolDefault = 0;
    private const ulong MpolMfMove = 1 << 1;

    /// <summary>The /proc/self files the runner reads, by its OP_PROC index.</summary>
    private enum ProcFile
    {
        Maps,
        Smaps,
        SmapsRollup,
        Status,
    }

    private readonly HostTarget _target;
    private readonly RunnerConnection _connection;
    /// <summary>A struct rlimit passed in (setrlimit, prlimit64).</summary>
    private readonly byte[] _rlimit = new byte[16];
    /// <summary>What an out-argument received: a struct rlimit, or capget's two struct __user_cap_data_struct.</summary>
    private readonly byte[] _out = new byte[32];
    private bool _dead;
    private bool _threadExitAnnounced;

    public HostProcess(HostTarget target, HostThreadGroup group, int tid, RunnerConnection connection)
    {
        _target = target;
        Group = group;
        Pid = tid;
        _connection = connection;
    }

    /// <summary>The task's id (gettid()).</summary>
    public int Pid { get; }

    public int Tgid => Group.Pid;

    internal HostThreadGroup Group { get; }

    /// <summary>False once the task has exited or its connection closed; polls the connection without waiting.</summary>
    public bool IsAlive
    {
        get
        {
            if (!_dead && _connection.PeerClosed())
                Died(new Deadline(_target.Timeout));
            return !_dead;
        }
    }

    public int KilledBySignal => Group.KilledBySignal;

    public int ExitCode => Group.ExitCode;

    /// <summary>The last signal with a fatal default action that a kill() in the scenario aimed at this process.</summary>
    internal int LastKillSignal
    {
        get => Group.LastKillSignal;
        set => Group.LastKillSignal = value;
    }

    public long Mmap(ulong addr, ulong length, int prot, int flags, int fd, long offset) =>
        Syscall(NrMmap, addr, length, Int(prot), Int(flags), Int(fd), (ulong)offset);

    public long Munmap(ulong addr, ulong length) => Syscall(NrMunmap, addr, length);

    public long Mremap(ulong oldAddr, ulong oldSize, ulong newSize, int flags, ulong newAddr) =>
        Syscall(NrMremap, oldAddr, oldSize, newSize, Int(flags), newAddr);

    public long Mprotect(ulong addr, ulong length, int prot) => Syscall(NrMprotect, addr, length, Int(prot));

    public long Mlock(ulong addr, ulong length) => Syscall(NrMlock, addr, length);

    public long Mlock2(ulong addr, ulong length, int flags) => Syscall(NrMlock2, addr, length, Int(flags));

    public long Munlock(ulong addr, ulong length) => Syscall(NrMunlock, addr, length);

    public long Mlockall(int flags) => Syscall(NrMlockall, Int(flags));

    public long Munlockall() => Syscall(NrMunlockall);

    public long Brk(ulong brk) => Syscall(NrBrk, brk);

    public long Msync(ulong addr, ulong length, int flags) => Syscall(NrMsync, addr, length, Int(flags));

    public long Mincore(ulong addr, ulong length, ulong vec) => Syscall(NrMincore, addr, length, vec);

    public long Madvise(ulong addr, ulong length, int advice)
    {
        DrainBeforePageout(advice);
        return Syscall(NrMadvise, addr, length, Int(advice));
    }

    /// <summary>
    /// Before MADV_PAGEOUT, every CPU's folio batches are drained (<see cref="DrainLruBatches"/>). The advice drains
    /// its own CPU's anyway, so this changes nothing the model sees; but the end of an earlier swap write runs on
    /// whichever CPU takes the I/O interrupt, and folio_rotate_reclaimable() leaves the folio in that CPU's
    /// lru_move_tail batch, holding a reference that makes reclaim keep it (pageout(): is_page_cache_freeable()
    /// fails). Measured: a shmem page swapped out, faulted back in and paged out again stayed unmapped in the page
    /// cache in 7 runs of 10 without this (fuzz seed 5156), in none with it.
    /// </summary>
    private void DrainBeforePageout(int advice)
    {
        if (advice == MmSim.Abi.Madv.MADV_PAGEOUT)
            DrainLruBatches();
    }

    public long MemfdCreate(string? name, uint flags) => name is null
        ? Syscall(NrMemfdCreate, 0, flags)
        : Syscall(NrMemfdCreate, [0, flags], Encoding.Latin1.GetBytes(name), inArg: 1);

    public long Ftruncate(int fd, long length) => Syscall(NrFtruncate, Int(fd), (ulong)length);

    public long Close(int fd) => Syscall(NrClose, Int(fd));

    public long Dup(int fd) => Syscall(NrDup, Int(fd));

    public long Getpid() => Syscall(NrGetpid);

    public long Fork()
    {
        var deadline = new Deadline(_target.Timeout);
        var reply = Request(RunnerOp.Fork, [], [], deadline);
        if (reply is not { Ret: > 0 } r)
            return reply?.Ret ?? 0;
        // The child connects on its own; it is known (FindProcess) before fork() returns.
        Guard(() => _target.AcceptChild((int)r.Ret, deadline));
        return r.Ret;
    }

    /// <summary>exit_group(): the runner replies, then exits; this returns once every task of the process is gone.</summary>
    public long ExitGroup(int code)
    {
        var deadline = new Deadline(_target.Timeout);
        // Announced before the request: another task's call (a thread blocked in a fault) sees its connection close
        // as soon as the runner exits, maybe before this reply is read, and must find the exit code already here.
        Group.ExitAnnounced = true;
        Group.ExitCode = code & 0xff;
        if (Request(RunnerOp.Exit, [Int(code)], [], deadline) is null)
            return 0;
        foreach (var task in _target.TasksOf(Group))
            Guard(() => task.WaitDead(deadline));
        return 0;
    }

    public long Gettid() => Syscall(NrGettid);

    /// <summary>A new thread (the runner's raw clone into a free slot); it is known (FindProcess) before this returns.</summary>
    public long Thread()
    {
        var deadline = new Deadline(_target.Timeout);
        var reply = Request(RunnerOp.Thread, [], [], deadline);
        if (reply is not { Ret: > 0 } r)
            return reply?.Ret ?? 0;
        Guard(() => _target.AcceptChild((int)r.Ret, deadline));
        return r.Ret;
    }

    /// <summary>exit(): this task only; the last task to exit ends the process with its code.</summary>
    public long Exit(int code)
    {
        var deadline = new Deadline(_target.Timeout);
        bool last = _target.TasksOf(Group).Count(t => t != this && t.IsAlive) == 0;
        if (last)
        {
            Group.ExitAnnounced = true;
            Group.ExitCode = code & 0xff;
        }
        if (Request(RunnerOp.ExitThread, [Int(code)], [], deadline) is null)
            return 0;
        _threadExitAnnounced = true;
        Guard(() => Died(deadline));
        return 0;
    }

    /// <summary>
    /// kill(). The kernel delivers the signal asynchronously; the model ends its targets before kill() returns, so
    /// this waits until every scenario process the signal ends is gone. A process that ends without having called
    /// exit_group() reports the last such signal aimed at it (<see cref="LastKillSignal"/>).
    /// </summary>
    public long Kill(int pid, int sig)
    {
        if (pid == -1)
        {
            throw new ScenarioRuntimeException(
                "kill(-1, ...) would signal every process of the runner's user on this machine, not only the scenario's; the host target does not run it");
        }
        var deadline = new Deadline(_target.Timeout);
        var fatal = IsFatalByDefault(sig);
        var targets = fatal ? _target.SignalTargets(pid) : [];
        var previous = LastKillSignal;
        if (targets.Contains(this))
            LastKillSignal = sig;
        var ret = Syscall(NrKill, [(ulong)(long)pid, Int(sig)], [], deadline: deadline);
        if (ret != 0 && !_dead)
        {
            LastKillSignal = previous;
            return ret;
        }
        foreach (var t in targets)
        {
            if (t == this)
                continue;
            t.LastKillSignal = sig;
            Guard(() => t.WaitDead(deadline));
        }
        return ret;
    }

    public long Setrlimit(int resource, RLimit limit)
    {
        WriteRlimit(limit);
        return Syscall(NrSetrlimit, [Int(resource), 0], _rlimit, inArg: 2);
    }

    public long Getrlimit(int resource, out RLimit limit)
    {
        var ret = Syscall(NrGetrlimit, [Int(resource), 0], [], outArg: 2);
        limit = ret == 0 ? ReadRlimit() : default;
        return ret;
    }

    public long Prlimit64(int pid, int resource, RLimit? newLimit, out RLimit oldLimit)
    {
        long ret;
        if (newLimit is { } limit)
        {
            WriteRlimit(limit);
            ret = Syscall(NrPrlimit64, [(ulong)(long)pid, Int(resource), 0, 0], _rlimit, inArg: 3, outArg: 4);
        }
        else
        {
            ret = Syscall(NrPrlimit64, [(ulong)(long)pid, Int(resource), 0, 0], [], outArg: 4);
        }
        oldLimit = ret == 0 ? ReadRlimit() : default;
        return ret;
    }

    public long Capget(CapUserHeader? header, bool wantData, out CapSets data)
    {
        Span<byte> hdr = stackalloc byte[8];
        byte inArg = 0;
        if (header is { } h)
        {
            WriteCapHeader(hdr, h);
            inArg = 1;
        }
        var ret = Syscall(NrCapget, [0, 0], inArg != 0 ? hdr : [], inArg: inArg, outArg: wantData ? (byte)2 : (byte)0);
        data = ret == 0 && wantData ? ReadCapData() : default;
        return ret;
    }

    public long Capset(CapUserHeader? header, CapSets? data)
    {
        // The header, then the data: two struct __user_cap_data_struct (the low and the high 32 bits of each set).
        Span<byte> payload = stackalloc byte[32];
        var length = 0;
        byte headerArg = 0, dataArg = 0;
        if (header is { } h)
        {
            WriteCapHeader(payload, h);
            length = 8;
            headerArg = 1;
        }
        var dataOffset = length;
        if (data is { } d)
        {
            var words = payload[dataOffset..];
            ReadOnlySpan<ulong> sets = [d.Effective, d.Permitted, d.Inheritable];
            for (var i = 0; i < 3; i++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(words[(4 * i)..], (uint)sets[i]);
                BinaryPrimitives.WriteUInt32LittleEndian(words[(12 + 4 * i)..], (uint)(sets[i] >> 32));
            }
            length += 24;
            dataArg = 2;
        }
        return headerArg != 0
            ? Syscall(NrCapset, [0, 0], payload[..length], inArg: headerArg, inArg2: dataArg, inOffset2: (byte)dataOffset)
            : Syscall(NrCapset, [0, 0], payload[..length], inArg: dataArg);
    }

    /// <summary>
    /// mbind(MPOL_DEFAULT, MPOL_MF_MOVE) of the runner's own first I/O page: it changes no policy (the page has
    /// none) and moves nothing, but do_mbind() calls lru_cache_disable(), which drains every CPU's LRU and mlock
    /// folio batches, so that meminfo's Mlocked and Unevictable are up to date. Needs no privilege.
    /// </summary>
    internal void DrainLruBatches() => Syscall(NrMbind, [0, 4096, MpolDefault, 0, 0, MpolMfMove], [], inArg: 1);

    public AccessResult Store(ulong addr, ReadOnlySpan<byte> data) =>
        Access(Request(RunnerOp.Store, [addr], data, new Deadline(_target.Timeout)));

    public AccessResult Fill(ulong addr, ulong length, byte value) =>
        Access(Request(RunnerOp.Fill, [addr, length, value], [], new Deadline(_target.Timeout)));

    public AccessResult Touch(ulong addr, ulong length, Access access) =>
        Access(Request(RunnerOp.Touch, [addr, length, (access & MmSim.Access.Write) != 0 ? 1UL : 0], [], new Deadline(_target.Timeout)));

    public AccessResult Load(ulong addr, Span<byte> into)
    {
        var deadline = new Deadline(_target.Timeout);
        var received = 0;
        var reply = Request(RunnerOp.Load, [addr, (ulong)into.Length], [], deadline);
        while (reply is { Ret: 1 } data)
        {
            if (data.Length > (ulong)(into.Length - received))
                throw Protocol("load() data past the end of the buffer");
            var chunk = into.Slice(received, (int)data.Length);
            if (!ReceiveData(chunk, deadline))
                return AccessResult.Killed;
            received += chunk.Length;
            reply = Receive(deadline);
        }
        return Access(reply);
    }

    public string ProcMaps() => ReadProc(ProcFile.Maps);

    public string ProcSmaps() => ReadProc(ProcFile.Smaps);

    public string? ProcSmapsRollup() => ReadProc(ProcFile.SmapsRollup, nullOnEsrch: true);

    public string ProcStatus() => ReadProc(ProcFile.Status);

    public string? ProcSmapsEntry(ulong addr)
    {
        var smaps = ProcSmaps();
        var start = -1;
        for (var pos = 0; pos < smaps.Length;)
        {
            var eol = smaps.IndexOf('\n', pos);
            var next = eol < 0 ? smaps.Length : eol + 1;
            if (TryParseRange(smaps.AsSpan(pos, next - pos), out var lo, out var hi))
            {
                if (start >= 0)
                    return smaps[start..pos];
                if (lo <= addr && addr < hi)
                    start = pos;
            }
            pos = next;
        }
        return start >= 0 ? smaps[start..] : null;
    }

    /// <summary>The pagemap entry, read by the runner from its own /proc/self/pagemap.</summary>
    public ulong Pagemap(ulong addr)
    {
        var deadline = new Deadline(_target.Timeout);
        var reply = Request(RunnerOp.Pagemap, [addr], [], deadline);
        if (reply is not { } r)
            return 0;
        if (r.Ret < 0)
            throw new ScenarioRuntimeException($"reading /proc/{Pid}/pagemap failed: {ErrnoInfo.FromReturn(r.Ret)}");
        Span<byte> entry = stackalloc byte[8];
        if (r.Length != 8)
            throw Protocol($"a {r.Length}-byte pagemap entry");
        return ReceiveData(entry, deadline) ? BinaryPrimitives.ReadUInt64LittleEndian(entry) : 0;
    }

    /// <summary>
    /// The page's /proc/kpageflags word, read from this side as root: the PFN from /proc/PID/pagemap (which shows it
    /// to CAP_SYS_ADMIN only), then its flags. Null when no page is present there.
    /// </summary>
    public ulong? KpageFlags(ulong addr)
    {
        if (Libc.Geteuid() != 0)
            throw new ScenarioRuntimeException("pageflags() on the kernel needs root (PFNs in /proc/PID/pagemap)");
        Span<byte> word = stackalloc byte[8];
        using (var pagemap = new FileStream($"/proc/{Pid}/pagemap", FileMode.Open, FileAccess.Read))
        {
            pagemap.Position = (long)(addr >> 12) * 8;
            if (pagemap.Read(word) != 8)
                return null;
        }
        ulong entry = BinaryPrimitives.ReadUInt64LittleEndian(word);
        if ((entry & (1UL << 63)) == 0)
            return null;
        ulong pfn = entry & ((1UL << 55) - 1);
        using var flags = new FileStream("/proc/kpageflags", FileMode.Open, FileAccess.Read);
        flags.Position = (long)pfn * 8;
        if (flags.Read(word) != 8)
            return null;
        return BinaryPrimitives.ReadUInt64LittleEndian(word);
    }

    public int VmaCount(ulong lo, ulong hi)
    {
        var count = 0;
        foreach (var line in ProcMaps().Split('\n'))
        {
            if (TryParseRange(line, out var start, out var end) && start < hi && end > lo)
                count++;
        }
        return count;
    }

    public override string ToString() => $"host pid {Pid}";

    /// <summary>The task's scheduler state from /proc/TGID/task/TID/stat ('R', 'S', 'D', 'T', 'Z'...), or '\0' when it is gone.</summary>
    internal char KernelState()
    {
        try
        {
            var text = File.ReadAllText($"/proc/{Tgid}/task/{Pid}/stat");
            var close = text.LastIndexOf(')');
            return close >= 0 && close + 2 < text.Length ? text[close + 2] : '\0';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return '\0';
        }
    }

    internal void Dispose() => _connection.Dispose();

    /// <summary>Waits until this process's connection has closed and the kernel has released the task.</summary>
    internal void WaitDead(Deadline deadline)
    {
        if (!_dead)
            Died(deadline);
    }

    // ---- requests ----

    private long Syscall(long nr, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0, ulong a5 = 0, ulong a6 = 0) =>
        Syscall(nr, [a1, a2, a3, a4, a5, a6], []);

    /// <summary>
    /// One syscall in the process: <paramref name="payload"/> is passed by pointer as argument
    /// <paramref name="inArg"/> (1-based), and from <paramref name="inOffset2"/> on as argument
    /// <paramref name="inArg2"/>; a zeroed 32-byte buffer is argument <paramref name="outArg"/>, read back into
    /// <see cref="_out"/>. A process that dies meanwhile returns 0; the runner then reports how it ended.
    /// </summary>
    private long Syscall(long nr, ReadOnlySpan<ulong> args, ReadOnlySpan<byte> payload, byte inArg = 0, byte outArg = 0,
        Deadline? deadline = null, byte inArg2 = 0, byte inOffset2 = 0) =>
        Syscall(nr, args, payload, _out, inArg, outArg, deadline, inArg2, inOffset2);

    /// <summary>
    /// <see cref="Syscall(long, ReadOnlySpan{ulong}, ReadOnlySpan{byte}, byte, byte, Deadline?, byte, byte)"/> with
    /// the out-argument's buffer given: its length is what the runner passes, and what comes back fills it. With
    /// <paramref name="outArg"/> equal to <paramref name="inArg"/> the payload is in-out (an ioctl's struct).
    /// </summary>
    private long Syscall(long nr, ReadOnlySpan<ulong> args, ReadOnlySpan<byte> payload, Span<byte> output, byte inArg,
        byte outArg, Deadline? deadline = null, byte inArg2 = 0, byte inOffset2 = 0)
    {
        var limit = deadline ?? new Deadline(_target.Timeout);
        Span<ulong> all = stackalloc ulong[7];
        all[0] = (ulong)nr;
        args.CopyTo(all[1..]);
        var reply = Request(RunnerOp.Syscall, all, payload, limit, inArg, outArg, inArg2, inOffset2,
            outArg != 0 && outArg != inArg ? (uint)output.Length : 0);
        if (reply is not { } r)
            return 0;
        if (r.Length > 0)
        {
            if (r.Length != (ulong)output.Length)
                throw Protocol($"{r.Length} bytes of output from syscall {nr}, for {output.Length}");
            if (!ReceiveData(output, limit))
                return 0;
        }
        return r.Ret;
    }

    public long Userfaultfd(int flags) => Syscall(NrUserfaultfd, Int(flags));

    /// <summary>ioctl(2): a struct travels to the runner and back, with what the kernel wrote into it.</summary>
    public long Ioctl(int fd, uint cmd, UserPtr arg)
    {
        if (arg.Buffer is not { } buffer)
            return Syscall(NrIoctl, Int(fd), cmd, arg.Address);
        var payload = buffer.AsSpan((int)arg.Address);
        return Syscall(NrIoctl, [Int(fd), cmd, 0], payload, payload, inArg: 3, outArg: 3);
    }

    /// <summary>read(2) into a buffer of the runner's, whose bytes come back.</summary>
    public long Read(int fd, UserPtr buf, ulong count)
    {
        if (buf.Buffer is not { } buffer)
            return Syscall(NrRead, Int(fd), buf.Address, count);
        return Syscall(NrRead, [Int(fd), 0, count], [], buffer.AsSpan((int)buf.Address), inArg: 0, outArg: 2);
    }

    /// <summary>poll(2) over a buffer of struct pollfd, written back.</summary>
    public long Poll(UserPtr fds, ulong nfds, int timeout)
    {
        if (fds.Buffer is not { } buffer)
            return Syscall(NrPoll, fds.Address, nfds, unchecked((ulong)timeout));
        var entries = buffer.AsSpan((int)fds.Address);
        return Syscall(NrPoll, [0, nfds, unchecked((ulong)(long)timeout)], entries, entries, inArg: 1, outArg: 1);
    }

    public long PidfdOpen(int pid, uint flags) => Syscall(NrPidfdOpen, Int(pid), flags);

    /// <summary>process_madvise(2): the iovec array travels as the payload; its addresses are the target's.</summary>
    public long ProcessMadvise(int pidfd, UserPtr vec, ulong vlen, int advice, uint flags)
    {
        DrainBeforePageout(advice);
        if (vec.Buffer is not { } buffer)
            return Syscall(NrProcessMadvise, Int(pidfd), vec.Address, vlen, Int(advice), flags);
        return Syscall(NrProcessMadvise, [Int(pidfd), 0, vlen, Int(advice), flags], buffer.AsSpan((int)vec.Address), inArg: 2);
    }

    /// <summary>Sends a request and reads its first reply; null if the process died instead of answering.</summary>
    private RunnerReply? Request(RunnerOp op, ReadOnlySpan<ulong> args, ReadOnlySpan<byte> payload, Deadline deadline,
        byte inArg = 0, byte outArg = 0, byte inArg2 = 0, byte inOffset2 = 0, uint outLength = 0)
    {
        try
        {
            _connection.Send(op, args, payload, deadline, inArg, outArg, inArg2, inOffset2, outLength);
        }
        catch (RunnerGoneException)
        {
            Guard(() => Died(deadline));
            return null;
        }
        catch (RunnerTimeoutException)
        {
            throw TimedOut(deadline);
        }
        return Receive(deadline);
    }

    /// <summary>The next reply; null if the process died instead.</summary>
    private RunnerReply? Receive(Deadline deadline)
    {
        try
        {
            return _connection.ReceiveReply(deadline);
        }
        catch (RunnerGoneException)
        {
            Guard(() => Died(deadline));
            return null;
        }
        catch (RunnerTimeoutException)
        {
            throw TimedOut(deadline);
        }
    }

    /// <summary>A reply's data; false if the process died instead.</summary>
    private bool ReceiveData(Span<byte> into, Deadline deadline)
    {
        try
        {
            _connection.ReceiveExact(into, deadline);
            return true;
        }
        catch (RunnerGoneException)
        {
            Guard(() => Died(deadline));
            return false;
        }
        catch (RunnerTimeoutException)
        {
            throw TimedOut(deadline);
        }
    }

    /// <summary>Runs a wait that belongs to the current statement; its timeout is the statement's.</summary>
    private void Guard(Action wait)
    {
        try
        {
            wait();
        }
        catch (RunnerTimeoutException)
        {
            throw TimedOut(new Deadline(_target.Timeout));
        }
    }

    private static AccessResult Access(RunnerReply? reply)
    {
        if (reply is not { } r)
            return AccessResult.Killed;
        if (r.Ret != 0)
            throw Protocol($"access reply {r.Ret}");
        return r.Signal == 0 ? AccessResult.Ok : new AccessResult(r.Signal, r.Code, r.Addr);
    }

    private string ReadProc(ProcFile file) => ReadProc(file, nullOnEsrch: false)!;

    private string? ReadProc(ProcFile file, bool nullOnEsrch)
    {
        if (_dead)
            return "";
        var deadline = new Deadline(_target.Timeout);
        var text = new StringBuilder();
        var buffer = new byte[64 * 1024];
        var reply = Request(RunnerOp.Proc, [(ulong)file], [], deadline);
        while (reply is { Ret: 1 } data)
        {
            if (data.Length > (ulong)buffer.Length)
                throw Protocol($"a {data.Length}-byte /proc chunk");
            var chunk = buffer.AsSpan(0, (int)data.Length);
            if (!ReceiveData(chunk, deadline))
                return "";
            text.Append(Encoding.Latin1.GetString(chunk));
            reply = Receive(deadline);
        }
        if (reply is { Ret: < 0 } esrch && nullOnEsrch && ErrnoInfo.FromReturn(esrch.Ret) == Errno.ESRCH)
            return null;
        if (reply is { Ret: < 0 } failed)
            throw new ScenarioRuntimeException($"reading /proc/{Pid}/{file} failed: {ErrnoInfo.FromReturn(failed.Ret)}");
        return reply is null ? "" : text.ToString();
    }

    // ---- liveness ----

    /// <summary>
    /// The connection closed: the task has ended, by exit() (this task only), or with its process, by
    /// exit_group() (the group's exit code set by the caller) or by a signal. Waits until the kernel has released
    /// it, so a later kill() of its id is ESRCH as in the model.
    /// </summary>
    private void Died(Deadline deadline)
    {
        if (_dead)
            return;
        _connection.WaitClosed(deadline);
        _dead = true;
        if (!_threadExitAnnounced)
        {
            Group.Ended = true;
            if (!Group.ExitAnnounced && Group.KilledBySignal == 0)
                Group.KilledBySignal = LastKillSignal != 0 ? LastKillSignal : Signal.SIGKILL;
        }
        else if (_target.TasksOf(Group).All(t => t._dead))
        {
            Group.Ended = true;
        }
        try
        {
            _target.WaitReleased(Pid, deadline);
        }
        catch (RunnerTimeoutException)
        {
            // Its memory is already gone (the connection closes after exit_mm()); only the pid lingers.
        }
    }

    private ScenarioRuntimeException TimedOut(Deadline deadline)
    {
        // The process is stuck (stopped, or blocked in the kernel): end it so that the target stays consistent.
        Libc.Kill(Pid, Signal.SIGKILL);
        LastKillSignal = Signal.SIGKILL;
        try
        {
            Died(new Deadline(TimeSpan.FromSeconds(2)));
        }
        catch (RunnerTimeoutException)
        {
            _dead = true;
            Group.Ended = true;
            Group.KilledBySignal = Signal.SIGKILL;
        }
        var seconds = deadline.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        return new ScenarioRuntimeException($"timed out after {seconds} s on the host kernel (pid {Pid})");
    }

    private static InvalidDataException Protocol(string what) => new($"host runner protocol error: {what}");

    /// <summary>Whether a signal's default action ends the process (the model's rule in Process.Kill()).</summary>
    private static bool IsFatalByDefault(int sig) => sig is > 0 and <= 64
        and not (Signal.SIGCHLD or Signal.SIGCONT or Signal.SIGURG or Signal.SIGWINCH
            or Signal.SIGSTOP or Signal.SIGTSTP or Signal.SIGTTIN or Signal.SIGTTOU);

    private static ulong Int(int value) => (ulong)(long)value;

    private static ulong Int(uint value) => value;

    private static bool TryParseRange(ReadOnlySpan<char> line, out ulong start, out ulong end)
    {
        start = end = 0;
        var space = line.IndexOf(' ');
        if (space < 0)
            return false;
        var range = line[..space];
        var dash = range.IndexOf('-');
        return dash > 0
            && ulong.TryParse(range[..dash], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out start)
            && ulong.TryParse(range[(dash + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out end);
    }

    private void WriteRlimit(RLimit limit)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_rlimit, limit.Cur);
        BinaryPrimitives.WriteUInt64LittleEndian(_rlimit.AsSpan(8), limit.Max);
    }

    private RLimit ReadRlimit() => new(
        BinaryPrimitives.ReadUInt64LittleEndian(_out),
        BinaryPrimitives.ReadUInt64LittleEndian(_out.AsSpan(8)));

    private static void WriteCapHeader(Span<byte> into, CapUserHeader header)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(into, header.Version);
        BinaryPrimitives.WriteInt32LittleEndian(into[4..], header.Pid);
    }

    // data[0] holds the low 32 bits of effective, permitted and inheritable; data[1] the high ones.
    private CapSets ReadCapData()
    {
        ulong Set(int i) => BinaryPrimitives.ReadUInt32LittleEndian(_out.AsSpan(4 * i))
            | (ulong)BinaryPrimitives.ReadUInt32LittleEndian(_out.AsSpan(12 + 4 * i)) << 32;
        return new CapSets(Set(0), Set(1), Set(2));
    }
}
