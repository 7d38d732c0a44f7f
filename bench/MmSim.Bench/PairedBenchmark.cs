using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using MmSim.Abi;

namespace MmSim.Bench;

/// <summary>
/// What the benchmark pairs share. Each pair is one class with two benchmarks: <c>Kernel</c>, the operation on
/// this machine's kernel through native/bench/kernel_bench.c and the baseline, and <c>Model</c>, the same
/// operation on MmSim, so the Ratio column is model time / kernel time. Every class also carries a
/// [BenchmarkCategory] of its own, and the config (<see cref="Program"/>) groups by category, so a joined
/// summary of all the classes still has one baseline per operation.
/// </summary>
public abstract class PairedBenchmark
{
    /// <summary>The fixed region both sides use (MAP_FIXED_NOREPLACE on the kernel).</summary>
    public const ulong Base = 0x100000000000;
    public const ulong GiB = 1UL << 30;
    public const int PagesPerGiB = (int)(GiB / 4096);
    /// <summary>The mprotect benchmark's mapping: four pages.</summary>
    public const ulong Small = 16384;
    protected const int Rw = Prot.PROT_READ | Prot.PROT_WRITE;

    /// <summary>A fresh simulated machine (8 GiB of RAM) and its first process.</summary>
    protected static Process NewModel() => new global::MmSim.Kernel(new KernelConfig { RamBytes = 8 * GiB }).Init;

    /// <summary>
    /// Maps <paramref name="length"/> bytes of private anonymous read-write memory at <see cref="Base"/> in the
    /// model, MADV_NOHUGEPAGE like the kernel side (kb_map).
    /// </summary>
    protected static void MapModel(Process p, ulong length)
    {
        long a = Check(p.Mmap(Base, length, Rw, Map.MAP_PRIVATE | Map.MAP_ANONYMOUS | Map.MAP_FIXED_NOREPLACE, -1, 0), "mmap");
        if ((ulong)a != Base)
            throw new InvalidOperationException($"model mmap returned {a:x}, not {Base:x}");
        Check(p.Madvise(Base, length, Madv.MADV_NOHUGEPAGE), "madvise(MADV_NOHUGEPAGE)");
    }

    /// <summary>
    /// The mlock benchmarks' kernel setup, so that locking 1 GiB is allowed: RLIMIT_MEMLOCK to RLIM_INFINITY, soft
    /// and hard (kb_memlock_unlimited). Where the hard limit cannot be raised (root without CAP_SYS_RESOURCE, as in
    /// containers whose bounding set drops it), CAP_IPC_LOCK in the effective set does as well, since mlock()
    /// checks the limit only for a process without it; with neither this throws.
    /// </summary>
    protected static void AllowKernelMlock()
    {
        long r = KernelBench.MemlockUnlimited();
        if (r < 0)
        {
            throw new InvalidOperationException(
                $"kernel setrlimit(RLIMIT_MEMLOCK, RLIM_INFINITY) failed: errno {-r} ({(Errno)(-r)}), and CAP_IPC_LOCK is not " +
                "effective either: locking 1 GiB needs one of them (run the benchmarks as root, or `ulimit -l unlimited` first).");
        }
        if (r == 1)
            Console.WriteLine("// kernel: RLIMIT_MEMLOCK cannot be raised (EPERM: no CAP_SYS_RESOURCE); CAP_IPC_LOCK is effective, so mlock ignores it");
    }

    /// <summary>
    /// The same for the model's process, which starts unprivileged with an 8 MiB hard RLIMIT_MEMLOCK and its
    /// capabilities permitted but not effective (<see cref="KernelConfig.InitialCapabilities"/>). With
    /// CAP_SYS_RESOURCE permitted, it raises it with capset(), sets RLIMIT_MEMLOCK to {RLIM_INFINITY, RLIM_INFINITY}
    /// and drops it again. Without (the default <see cref="CapSets.ModelPermitted"/> leaves it out, as the kernel
    /// side lacks it here), it raises CAP_IPC_LOCK into its effective set, which is then the kernel side's state on
    /// this machine: the 8 MiB limit, ignored. Throws if neither is permitted.
    /// </summary>
    protected static void AllowModelMlock(Process p)
    {
        var header = new CapUserHeader(Capability._LINUX_CAPABILITY_VERSION_3, 0);
        var caps = p.Capabilities;
        ulong sysResource = Capability.Bit(Capability.CAP_SYS_RESOURCE), ipcLock = Capability.Bit(Capability.CAP_IPC_LOCK);
        if ((caps.Permitted & sysResource) != 0)
        {
            Check(p.Capset(header, caps with { Effective = caps.Effective | sysResource }), "model capset(CAP_SYS_RESOURCE effective)");
            Check(p.Setrlimit(Rlimit.RLIMIT_MEMLOCK, new RLimit(Rlimit.RLIM_INFINITY, Rlimit.RLIM_INFINITY)), "model setrlimit(RLIMIT_MEMLOCK)");
            Check(p.Capset(header, caps), "model capset(CAP_SYS_RESOURCE dropped)");
        }
        else if ((caps.Permitted & ipcLock) != 0)
        {
            Check(p.Capset(header, caps with { Effective = caps.Effective | ipcLock }), "model capset(CAP_IPC_LOCK effective)");
        }
        else
        {
            throw new InvalidOperationException(
                $"model process has neither CAP_SYS_RESOURCE nor CAP_IPC_LOCK permitted (permitted {caps.Permitted:x}): it cannot lock 1 GiB");
        }
    }

    /// <summary>
    /// After an mlock benchmark: checks VmLck (from status) and the Rss and Locked of the VMA at <see cref="Base"/>
    /// (its smaps entry), all in kB, and throws on a difference. The kernel's VmLck is the whole process's, so this
    /// also checks that nothing else in it is locked.
    /// </summary>
    protected static void CheckLocked(string side, string status, string? smapsEntry, ulong lockedVm, ulong resident)
    {
        if (smapsEntry is null)
            throw new InvalidOperationException($"{side}: no VMA starts at {Base:x}");
        long vmLck = ProcKb(status, "VmLck"), rss = ProcKb(smapsEntry, "Rss"), locked = ProcKb(smapsEntry, "Locked");
        if (vmLck != (long)(lockedVm >> 10) || rss != (long)(resident >> 10) || locked != (long)(resident >> 10))
        {
            throw new InvalidOperationException(
                $"{side}: VmLck {vmLck} kB, Rss {rss} kB, Locked {locked} kB after the lock; expected VmLck {lockedVm >> 10} kB " +
                $"and Rss = Locked = {resident >> 10} kB. The VMA:\n{smapsEntry}");
        }
    }

    /// <summary>The number of a "Field:   N kB" line of /proc status or smaps text; throws if there is no such line.</summary>
    protected static long ProcKb(string text, string field)
    {
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                string value = line[(field.Length + 1)..].Trim();
                int space = value.IndexOf(' ', StringComparison.Ordinal);
                return long.Parse(space < 0 ? value : value[..space], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"no {field} line in:\n{text}");
    }

    /// <summary>Throws on a -errno result (kernel or model); returns the result otherwise.</summary>
    protected static long Check(long result, string what) =>
        result >= 0 ? result : throw new InvalidOperationException($"{what} failed: errno {-result} ({(Errno)(-result)})");

    protected static void CheckOk(AccessResult result, string what)
    {
        if (result != AccessResult.Ok)
            throw new InvalidOperationException($"{what} faulted: {result}");
    }
}

/// <summary>How many units (pairs, faults, pages) one operation of a benchmark class is, for <see cref="RateColumn"/>.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RateAttribute(int unitsPerOperation, string unit) : Attribute
{
    public int UnitsPerOperation { get; } = unitsPerOperation;
    public string Unit { get; } = unit;
}

/// <summary>Units per second at the median time: pairs/s, faults/s, pages/s, as the class's [Rate] says.</summary>
public sealed class RateColumn : IColumn
{
    public string Id => nameof(RateColumn);
    public string ColumnName => "Rate (median)";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Units per second at the median time: mmap+munmap or mprotect pairs, write faults, or pages of the 1 GiB";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var rate = (RateAttribute?)Attribute.GetCustomAttribute(benchmarkCase.Descriptor.Type, typeof(RateAttribute));
        double? median = summary[benchmarkCase]?.ResultStatistics?.Median;
        if (rate is null || median is not > 0)
            return "-";
        double perSecond = rate.UnitsPerOperation * 1e9 / median.Value;
        return perSecond switch
        {
            >= 1e6 => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{perSecond / 1e6:0.00} M {rate.Unit}"),
            >= 1e3 => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{perSecond / 1e3:0.0} k {rate.Unit}"),
            _ => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{perSecond:0.0} {rate.Unit}"),
        };
    }
}
