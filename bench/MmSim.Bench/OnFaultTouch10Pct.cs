using BenchmarkDotNet.Attributes;
using MmSim.Abi;

namespace MmSim.Bench;

/// <summary>
/// mlock2(MLOCK_ONFAULT) of a fresh 1 GiB private anonymous mapping, then one write to every tenth page (pages 9,
/// 19, ..., 262,139): 26,214 faults, each of which locks the page it maps; the other 90% stay unpopulated. Each
/// iteration maps the 1 GiB anew (IterationSetup) and, after checking VmLck (the whole 1 GiB, as Linux counts
/// locked_vm for an on-fault lock) and the VMA's Rss and Locked (the 26,214 pages), unmaps it (IterationCleanup; a
/// fresh model). Both sides are first allowed to lock 1 GiB, as in <see cref="Mlock1GiB"/>.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
[BenchmarkCategory("mlock2 ONFAULT + 10% writes")]
[Rate(Faults, "faults/s")]
public class OnFaultTouch10Pct : FreshGiBLock
{
    /// <summary>One write every Stride pages.</summary>
    public const int Stride = 10;
    /// <summary>The pages written, and so faulted in and locked: 262,144 / 10, rounded down.</summary>
    public const int Faults = PagesPerGiB / Stride;

    protected override ulong Resident => Faults * 4096UL;

    [Benchmark(Baseline = true)]
    public long Kernel() => Check(KernelBench.MlockOnFaultWrite(GiB, Stride), "kernel mlock2(MLOCK_ONFAULT)");

    [Benchmark]
    public long Model()
    {
        var p = P!;
        Check(p.Mlock2(Base, GiB, Mlock.MLOCK_ONFAULT), "model mlock2(MLOCK_ONFAULT)");
        long written = 0;
        for (ulong addr = Base + ((Stride - 1) * 4096UL); addr < Base + GiB; addr += Stride * 4096UL, written++)
            CheckOk(p.Touch(addr, 1, Access.Write), "model write");
        return written;
    }
}
