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
public class Mlock1GiB : FreshGiBLock
{
    protected override ulong Resident => GiB;

    [Benchmark(Baseline = true)]
    public long Kernel() => Check(KernelBench.Mlock(GiB), "kernel mlock");

    [Benchmark]
    public long Model() => Check(P!.Mlock(Base, GiB), "model mlock");
}
