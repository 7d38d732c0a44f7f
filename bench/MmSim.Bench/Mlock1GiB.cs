using BenchmarkDotNet.Attributes;

namespace MmSim.Bench;

/// <summary>
/// mlock() of a fresh 1 GiB private anonymous mapping that nothing has touched: mlock populates and locks all
/// 262,144 pages. Each iteration maps the 1 GiB anew (IterationSetup) and, after checking VmLck and the VMA's Rss
/// and Locked, unmaps it (IterationCleanup; a fresh model). Both sides are first allowed to lock 1 GiB: RLIMIT_MEMLOCK
/// raised to RLIM_INFINITY, or where that is not permitted CAP_IPC_LOCK effective (<see cref="PairedBenchmark.AllowKernelMlock"/>,
/// <see cref="PairedBenchmark.AllowModelMlock"/>).
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
[BenchmarkCategory("mlock 1 GiB")]
[Rate(PagesPerGiB, "pages/s")]
public class Mlock1GiB : PairedBenchmark
{
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
            CheckLocked("kernel", KernelBench.Status(), KernelBench.SmapsEntry(Base), GiB, GiB);
        }
        finally
        {
            Check(KernelBench.Unmap(GiB), "kernel munmap");
        }
    }

    [Benchmark(Baseline = true)]
    public long Kernel() => Check(KernelBench.Mlock(GiB), "kernel mlock");

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
        CheckLocked("model", _p!.ProcStatus(), _p.ProcSmapsEntry(Base), GiB, GiB);
        _p = null;
    }

    [Benchmark]
    public long Model() => Check(_p!.Mlock(Base, GiB), "model mlock");
}
