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
public class OnFaultTouch10Pct : PairedBenchmark
{
    /// <summary>One write every Stride pages.</summary>
    public const int Stride = 10;
    /// <summary>The pages written, and so faulted in and locked: 262,144 / 10, rounded down.</summary>
    public const int Faults = PagesPerGiB / Stride;

    private Process? _p;

    [GlobalSetup(Target = nameof(Kernel))]
    public void SetupKernel() => AllowKernelMlock();

    [IterationSetup(Target = nameof(Kernel))]
    public void SetupKernelIteration() => Check(KernelBench.Map(GiB), "kernel mmap of 1 GiB at 0x100000000000");

    [IterationCleanup(Target = nameof(Kernel))]
    public void CleanupKernelIteration()
    {
        try
        {
            CheckLocked("kernel", KernelBench.Status(), KernelBench.SmapsEntry(Base), GiB, Faults * 4096UL);
        }
        finally
        {
            Check(KernelBench.Unmap(GiB), "kernel munmap");
        }
    }

    [Benchmark(Baseline = true)]
    public long Kernel() => Check(KernelBench.MlockOnFaultWrite(GiB, Stride), "kernel mlock2(MLOCK_ONFAULT)");

    [IterationSetup(Target = nameof(Model))]
    public void SetupModelIteration()
    {
        _p = NewModel();
        MapModel(_p, GiB);
        AllowModelMlock(_p);
    }

    [IterationCleanup(Target = nameof(Model))]
    public void CleanupModelIteration()
    {
        CheckLocked("model", _p!.ProcStatus(), _p.ProcSmapsEntry(Base), GiB, Faults * 4096UL);
        _p = null;
    }

    [Benchmark]
    public long Model()
    {
        var p = _p!;
        Check(p.Mlock2(Base, GiB, Mlock.MLOCK_ONFAULT), "model mlock2(MLOCK_ONFAULT)");
        long written = 0;
        for (ulong addr = Base + ((Stride - 1) * 4096UL); addr < Base + GiB; addr += Stride * 4096UL, written++)
            CheckOk(p.Touch(addr, 1, Access.Write), "model write");
        return written;
    }
}
