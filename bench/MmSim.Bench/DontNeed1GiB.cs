using BenchmarkDotNet.Attributes;
using MmSim.Abi;

namespace MmSim.Bench;

/// <summary>
/// MADV_DONTNEED of 1 GiB of private anonymous memory, every page populated: IterationSetup writes every page
/// again after the previous iteration dropped them all.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
[BenchmarkCategory("MADV_DONTNEED 1 GiB")]
[Rate(PagesPerGiB, "pages/s")]
public class DontNeed1GiB : PairedBenchmark
{
    private Process _p = null!;

    [GlobalSetup(Target = nameof(Kernel))]
    public void SetupKernel() => Check(KernelBench.Map(GiB), "kernel mmap of 1 GiB at 0x100000000000");

    [IterationSetup(Target = nameof(Kernel))]
    public void SetupKernelIteration() => KernelBench.WritePages(GiB);

    [Benchmark(Baseline = true)]
    public long Kernel() => KernelBench.MadvDontNeed(GiB);

    [GlobalCleanup(Target = nameof(Kernel))]
    public void CleanupKernel() => Check(KernelBench.Unmap(GiB), "kernel munmap");

    [GlobalSetup(Target = nameof(Model))]
    public void SetupModel()
    {
        _p = NewModel();
        MapModel(_p, GiB);
    }

    [IterationSetup(Target = nameof(Model))]
    public void SetupModelIteration() => CheckOk(_p.Touch(Base, GiB, Access.Write), "touch");

    [Benchmark]
    public long Model() => _p.Madvise(Base, GiB, Madv.MADV_DONTNEED);
}
