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
