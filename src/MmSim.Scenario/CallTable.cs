using MmSim.Abi;

namespace MmSim.Scenario;

/// <summary>A call a scenario can make: a syscall or a pseudo-call (store, load, smaps...).</summary>
public sealed class CallSpec(string name, IReadOnlyList<Param> parameters, Func<CallFrame, Outcome> invoke)
{
    public string Name { get; } = name;

    public IReadOnlyList<Param> Params { get; } = parameters;

    public Outcome Invoke(CallFrame frame) => invoke(frame);
}

/// <summary>
/// Every call the scenario language knows, with its parameters' kinds (which decide what the parser accepts
/// and how the echo prints each argument). A name may have several entries of different arity (store).
/// Adding a syscall is one entry here, calling the <see cref="IScenarioProcess"/> member of the same name.
/// </summary>
public static class CallTable
{
    // Before s_calls, which reads it: static fields initialize in textual order.
    private static readonly string[] s_uffdioCommands =
    [
        "UFFDIO_API", "UFFDIO_REGISTER", "UFFDIO_UNREGISTER", "UFFDIO_WAKE", "UFFDIO_COPY", "UFFDIO_ZEROPAGE",
        "UFFDIO_MOVE", "UFFDIO_WRITEPROTECT", "UFFDIO_CONTINUE", "UFFDIO_POISON",
    ];

    private static readonly CallSpec[] s_calls =
    [
        // ---- syscalls, with strace's parameter names ----
        Syscall("mmap", [Addr("addr"), Size("length"), Flags("prot", "PROT_"), Flags("flags", "MAP_"), Int("fd"), Hex("offset")],
            c => c.Process.Mmap(c.U64(0), c.U64(1), c.I32(2), c.I32(3), c.I32(4), c.I64(5)), pointer: true),
        Syscall("munmap", [Addr("addr"), Size("length")], c => c.Process.Munmap(c.U64(0), c.U64(1))),
        Syscall("mremap", [Addr("old_address"), Size("old_size"), Size("new_size"), Flags("flags", "MREMAP_"), Addr("new_address")],
            c => c.Process.Mremap(c.U64(0), c.U64(1), c.U64(2), c.I32(3), c.U64(4)), pointer: true),
        Syscall("mprotect", [Addr("addr"), Size("length"), Flags("prot", "PROT_")],
            c => c.Process.Mprotect(c.U64(0), c.U64(1), c.I32(2))),
        Syscall("mlock", [Addr("addr"), Size("len")], c => c.Process.Mlock(c.U64(0), c.U64(1))),
        Syscall("mlock2", [Addr("addr"), Size("len"), Flags("flags", "MLOCK_")],
            c => c.Process.Mlock2(c.U64(0), c.U64(1), c.I32(2))),
        Syscall("munlock", [Addr("addr"), Size("len")], c => c.Process.Munlock(c.U64(0), c.U64(1))),
        Syscall("mlockall", [Flags("flags", "MCL_")], c => c.Process.Mlockall(c.I32(0))),
        Syscall("munlockall", [], c => c.Process.Munlockall()),
        Syscall("brk", [Addr("brk")], c => c.Process.Brk(c.U64(0)), pointer: true),
        Syscall("msync", [Addr("addr"), Size("length"), Flags("flags", "MS_")],
            c => c.Process.Msync(c.U64(0), c.U64(1), c.I32(2))),
        Syscall("mincore", [Addr("addr"), Size("length"), Addr("vec")],
            c => c.Process.Mincore(c.U64(0), c.U64(1), c.U64(2))),
        Syscall("madvise", [Addr("addr"), Size("length"), One("advice", "MADV_")],
            c => c.Process.Madvise(c.U64(0), c.U64(1), c.I32(2))),
        Syscall("pidfd_open", [Int("pid"), new("flags", FlagsKind.Named("PIDFD_NONBLOCK", "PIDFD_THREAD"))],
            c => c.Process.PidfdOpen(c.I32(0), c.U32(1))),
        new("process_madvise", [Int("pidfd"), new("iovec", IovecKind.Instance), Size("vlen"), One("advice", "MADV_"), Int("flags")], c =>
        {
            var vec = IovecKind.Instance.ToPointer(c.Arg(1), out _);
            return Outcome.FromSyscall(c.Process.ProcessMadvise(c.I32(0), vec, c.U64(2), c.I32(3), c.U32(4)));
        }),
        Syscall("memfd_create", [StrOrNull("name"), Flags("flags", "MFD_")], c => c.Process.MemfdCreate(c.StringOrNull(0), c.U32(1))),
        Syscall("ftruncate", [Int("fd"), Int("length")], c => c.Process.Ftruncate(c.I32(0), c.I64(1))),
        Syscall("close", [Int("fd")], c => c.Process.Close(c.I32(0))),
        Syscall("dup", [Int("fd")], c => c.Process.Dup(c.I32(0))),
        Syscall("fork", [], c => c.Process.Fork()),
        Syscall("exit_group", [Int("status")], c => c.Process.ExitGroup(c.I32(0))),
        new("exit", [Int("status")], c =>
        {
            // exit(2) ends the calling task; strace shows "= ?" and "+++ exited with N +++" for it.
            var ret = c.Process.Exit(c.I32(0));
            return ErrnoInfo.IsError(ret) ? new Outcome.Returned(ret) : new Outcome.Exited(c.I32(0) & 0xff);
        }),
        Syscall("gettid", [], c => c.Process.Gettid()),
        Syscall("kill", [Int("pid"), One("sig", "SIG")], c => c.Process.Kill(c.I32(0), c.I32(1))),
        Syscall("getpid", [], c => c.Process.Getpid()),
        Syscall("setrlimit", [One("resource", "RLIMIT_"), Rlimit("rlim")],
            c => c.Rlimit(1) is { } limit ? c.Process.Setrlimit(c.I32(0), limit) : Fault()),
        Syscall("getrlimit", [One("resource", "RLIMIT_"), RlimitOut("rlim")], c =>
        {
            if (c.IsNull(1))
                return Fault();
            var ret = c.Process.Getrlimit(c.I32(0), out var limit);
            if (ret == 0)
                c.SetOutput(1, RlimitKind.ToValue(limit));
            return ret;
        }),
        Syscall("prlimit64", [Int("pid"), One("resource", "RLIMIT_"), Rlimit("new_limit"), RlimitOut("old_limit")], c =>
        {
            var ret = c.Process.Prlimit64(c.I32(0), c.I32(1), c.Rlimit(2), out var old);
            if (ret == 0 && !c.IsNull(3))
                c.SetOutput(3, RlimitKind.ToValue(old));
            return ret;
        }),
        Syscall("capget", [CapHeader("hdrp"), CapData("datap", output: true)], c =>
        {
            var ret = c.Process.Capget(c.CapHeader(0), wantData: !c.IsNull(1), out var sets);
            if (ret == 0 && !c.IsNull(1))
                c.SetOutput(1, CapDataKind.ToValue(sets));
            return ret;
        }),
        Syscall("capset", [CapHeader("hdrp"), CapData("datap", output: false)],
            c => c.Process.Capset(c.CapHeader(0), c.CapData(1))),

        // ---- threads ----
        Pseudo("thread", [], c => new Outcome.Returned(c.Process.Thread())),

        // ---- userfaultfd ----
        Syscall("userfaultfd", [new("flags", FlagsKind.Named("O_NONBLOCK", "O_CLOEXEC", "UFFD_USER_MODE_ONLY"))],
            c => c.Process.Userfaultfd(c.I32(0))),
        new("ioctl", [Int("fd"), new("request", FlagsKind.NamedOne(s_uffdioCommands)), new("argp", new UffdioArgKind())], c =>
        {
            long cmd = c.I64(1);
            var arg = UffdioArgKind.ToPointer(c.Arg(2), cmd, out var buffer);
            var ret = c.Process.Ioctl(c.I32(0), unchecked((uint)cmd), arg);
            if (buffer is not null && ret != TaskStruct.Blocked)
                c.SetOutput(2, UffdioArgKind.Layout(cmd)!.Decode(buffer));
            return Outcome.FromSyscall(ret);
        }),
        new("read", [Int("fd"), new("buf", new UffdMsgKind()), Size("count")], c =>
        {
            ulong count = c.U64(2);
            byte[]? buffer = null;
            var buf = c.Arg(1) switch
            {
                NumberValue n => UserPtr.At(unchecked((ulong)n.Value)),
                NullValue => UserPtr.Null,
                _ => UserPtr.Of(buffer = new byte[Math.Min(count, MaxRead)]),
            };
            var ret = c.Process.Read(c.I32(0), buf, count);
            // Written as strace prints it, a string of the bytes read; else the messages decoded.
            if (buffer is not null && ret > 0)
                c.SetOutput(1, c.Arg(1) is StringValue ? new StringValue(buffer[..(int)ret]) : UffdMsgKind.Decode(buffer.AsSpan(0, (int)ret)));
            return Outcome.FromSyscall(ret);
        }),

        new("poll", [new("fds", PollFdsKind.Instance), Size("nfds"), Int("timeout")], c =>
        {
            var fds = PollFdsKind.Instance.ToPointer(c.Arg(0), out var buffer);
            var ret = c.Process.Poll(fds, c.U64(1), c.I32(2));
            if (buffer is not null && ret >= 0)
                c.SetOutput(0, PollFdsKind.Decode(buffer));
            return Outcome.FromSyscall(ret);
        }),

        // ---- CPU accesses: a blocked one goes on from where it stopped (CallFrame.ResumeAt) ----
        Pseudo("store", [Addr("addr"), Str("bytes")], c =>
        {
            ulong addr = c.U64(0), from = c.ResumeAt ?? addr;
            return Outcome.FromAccess(c.Process.Store(from, c.Bytes(1).AsSpan((int)(from - addr))));
        }),
        Pseudo("store", [Addr("addr"), Size("length"), Hex("byte")], c =>
        {
            ulong addr = c.U64(0), from = c.ResumeAt ?? addr;
            return Outcome.FromAccess(c.Process.Fill(from, c.U64(1) - (from - addr), c.Byte(2)));
        }),
        Pseudo("load", [Addr("addr"), Size("length")], Load),
        Pseudo("touch", [Addr("addr"), Size("length"), new("access", FlagsKind.Named("READ", "WRITE"))], c =>
        {
            ulong addr = c.U64(0), from = c.ResumeAt ?? addr;
            return Outcome.FromAccess(c.Process.Touch(from, c.U64(1) - (from - addr), (Access)c.I32(2)));
        }),

        // ---- observation ----
        Pseudo("smaps", [Addr("addr")], c => c.Process.ProcSmapsEntry(c.U64(0)) is { } entry
            ? Smaps(entry)
            : new Outcome.Produced(NullValue.Instance)),
        Pseudo("smaps_rollup", [], c => c.Process.ProcSmapsRollup() is { } rollup
            ? Smaps(rollup)
            : new Outcome.Returned(-(long)Errno.ESRCH)),
        Pseudo("status", [], c => Status(c.Process.ProcStatus())),
        Pseudo("vma_count", [Addr("lo"), Addr("hi")], c => new Outcome.Returned(c.Process.VmaCount(c.U64(0), c.U64(1)))),
        Pseudo("pagemap", [Addr("addr")], c => new Outcome.Produced(Pagemap(c.Process.Pagemap(c.U64(0))))),
        Pseudo("pageflags", [Addr("addr")], c => new Outcome.Produced(c.Process.KpageFlags(c.U64(0)) is { } k
            ? PageFlags(k)
            : NullValue.Instance)),
        Pseudo("maps", [], c => new Outcome.Text(c.Process.ProcMaps())),
        Pseudo("meminfo", [], c => new Outcome.Text(c.Target.ProcMeminfo())),
        Pseudo("vmstat", [], Vmstat),
        Pseudo("swapinfo", [], c =>
        {
            var (total, free, cached) = c.Target.SwapInfo();
            return new Outcome.Produced(new StructValue(
                [new("SwapTotal", new NumberValue(total)), new("SwapFree", new NumberValue(free)), new("SwapCached", new NumberValue(cached))]));
        }),
        Pseudo("swapon_file", [Size("bytes")], c => Outcome.FromSyscall(c.Target.Swapon(c.U64(0)))),
        Pseudo("sysctl", [Str("name"), Int("value")],
            c => Outcome.FromSyscall(c.Target.Sysctl(System.Text.Encoding.UTF8.GetString(c.Bytes(0)), c.I64(1)))),
        Pseudo("validate", [], c =>
        {
            c.Target.Validate();
            return new Outcome.Returned(0);
        }),
    ];

    private static readonly ILookup<string, CallSpec> s_byName = s_calls.ToLookup(c => c.Name, StringComparer.Ordinal);

    /// <summary>The longest load() the runner will allocate a buffer for.</summary>
    public const ulong MaxLoad = 64UL << 20;

    public static IReadOnlyList<CallSpec> All => s_calls;

    public static bool IsKnown(string name) => s_byName.Contains(name);

    /// <summary>The entry for <paramref name="name"/> taking <paramref name="argCount"/> arguments, or null.</summary>
    public static CallSpec? Find(string name, int argCount) =>
        s_byName[name].FirstOrDefault(c => c.Params.Count == argCount);

    /// <summary>How many arguments <paramref name="name"/> takes, for an error message: "2 or 3 arguments".</summary>
    public static string Arity(string name)
    {
        var counts = s_byName[name].Select(c => c.Params.Count).Distinct().Order().ToList();
        if (counts is [0])
            return "no arguments";
        return $"{string.Join(" or ", counts)} argument{(counts is [1] ? "" : "s")}";
    }

    private static CallSpec Syscall(string name, Param[] parameters, Func<CallFrame, long> call, bool pointer = false) =>
        new(name, parameters, c => Outcome.FromSyscall(call(c), pointer));

    private static CallSpec Pseudo(string name, Param[] parameters, Func<CallFrame, Outcome> run) => new(name, parameters, run);

    private static Param Addr(string name) => new(name, new NumberKind(NumberStyle.Pointer));

    private static Param Hex(string name) => new(name, new NumberKind(NumberStyle.Hex));

    private static Param Size(string name) => new(name, new NumberKind(NumberStyle.Unsigned));

    private static Param Int(string name) => new(name, new NumberKind(NumberStyle.Signed));

    private static Param Flags(string name, string prefix) => new(name, FlagsKind.Prefixed(prefix));

    private static Param One(string name, string prefix) => new(name, FlagsKind.Prefixed(prefix, single: true));

    private static Param Str(string name) => new(name, new StringKind());

    /// <summary>A <c>const char *</c> that may be NULL, which the kernel answers with EFAULT.</summary>
    private static Param StrOrNull(string name) => new(name, new StringKind(nullable: true));

    private static Param Rlimit(string name) => new(name, new RlimitKind(output: false));

    private static Param RlimitOut(string name) => new(name, new RlimitKind(output: true));

    private static Param CapHeader(string name) => new(name, new CapHeaderKind());

    private static Param CapData(string name, bool output) => new(name, new CapDataKind(output));

    // copy_{from,to}_user() on a NULL pointer: the model's rlimit calls take values, not user pointers.
    private static long Fault() => -(long)Errno.EFAULT;

    private static Outcome Load(CallFrame c)
    {
        var length = c.U64(1);
        if (length > MaxLoad)
            throw new ScenarioRuntimeException($"load of {length} bytes is longer than the {MaxLoad}-byte limit");
        var buffer = c.LoadBuffer ??= new byte[length];
        ulong addr = c.U64(0), from = c.ResumeAt ?? addr;
        var access = c.Process.Load(from, buffer.AsSpan((int)(from - addr)));
        return access.Faulted ? Outcome.FromAccess(access) : new Outcome.Produced(new StringValue(buffer));
    }

    /// <summary>A pagemap entry's flags as a struct of 0/1 fields (the PFN is not shown).</summary>
    private static StructValue Pagemap(ulong entry)
    {
        NumberValue Bit(int bit) => new((long)((entry >> bit) & 1));
        return new StructValue(
        [
            new("present", Bit(63)), new("swapped", Bit(62)), new("file", Bit(61)), new("exclusive", Bit(56)),
            new("soft_dirty", Bit(55)), new("uffd_wp", Bit(57)), new("guard", Bit(58)),
        ]);
    }

    /// <summary>A /proc/kpageflags word as a struct of the LRU and swap flags the model keeps, 0 or 1 each.</summary>
    private static StructValue PageFlags(ulong k)
    {
        // The shared zero page's own flags are the machine's history, not the scenario's: only that it is the zero page.
        if ((k & (1UL << 24)) != 0)
            k = 1UL << 24;
        NumberValue Bit(int bit) => new((long)((k >> bit) & 1));
        return new StructValue(
        [
            new("lru", Bit(5)), new("active", Bit(6)), new("referenced", Bit(2)), new("anon", Bit(12)),
            new("swapbacked", Bit(14)), new("swapcache", Bit(13)), new("mlocked", Bit(33)), new("mmap", Bit(11)),
            new("zero", Bit(24)),
        ]);
    }

    /// <summary>The largest buffer read() is given; the kernel fills 32 bytes a message.</summary>
    private const ulong MaxRead = 64 << 10;


    // A kernel's /proc/vmstat has none of MmSim's own counters (mremap_*): expectations of them are not checked
    // there. The echo shows those counters only.
    private static Outcome.Produced Vmstat(CallFrame c)
    {
        var all = ProcText.ParseVmstat(c.Target.ProcVmstat(), open: c.Target is not ModelTarget);
        var brief = all.Fields.Where(f => f.Key.StartsWith("mremap_", StringComparison.Ordinal)).ToList();
        return new Outcome.Produced(all, new StructValue(brief));
    }

    // The echo shows the header and the fields that are not zero, nor the base page size; expectations see them all.
    private static Outcome.Produced Smaps(string entry)
    {
        var all = ProcText.ParseSmapsEntry(entry);
        var brief = all.Fields.Where(f => f.Key is "start" or "end" or "perms" or "name" || (f.Key, f.Value) switch
        {
            ("KernelPageSize" or "MMUPageSize", NumberValue { Value: 4 }) => false,
            (_, NumberValue n) => n.Value != 0,
            ("dev", _) => false,
            (_, StringValue s) => s.Bytes.Length > 0,
            _ => true,
        });
        return new Outcome.Produced(all, new StructValue(brief.ToList()));
    }

    // The echo shows the memory counters of fs/proc/task_mmu.c task_mem() that are not zero.
    private static Outcome.Produced Status(string text)
    {
        var all = ProcText.ParseStatus(text);
        var brief = all.Fields.Where(f =>
            (f.Key.StartsWith("Vm", StringComparison.Ordinal) || f.Key.StartsWith("Rss", StringComparison.Ordinal)
                || f.Key == "HugetlbPages")
            && f.Value is NumberValue { Value: not 0 });
        return new Outcome.Produced(all, new StructValue(brief.ToList()));
    }
}
