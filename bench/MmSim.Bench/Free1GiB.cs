using BenchmarkDotNet.Attributes;
using MmSim.Abi;

namespace MmSim.Bench;

/// <summary>
/// MADV_FREE of 1 GiB of private anonymous memory, every page populated and dirty: IterationSetup writes every page
/// again. Each page's PTE is cleaned and its folio queued to become lazyfree.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
[BenchmarkCategory("MADV_FREE 1 GiB")]
[Rate(PagesPerGiB, "pages/s")]
public class Free1GiB : PairedBenchmark
{
    private Process _p = null!;

    [GlobalSetup(Target = nameof(Kernel))]
    public void SetupKernel() => Check(KernelBench.Map(GiB), "kernel mmap of 1 GiB at 0x100000000000");

    [IterationSetup(Target = nameof(Kernel))]
    public void SetupKernelIteration() => KernelBench.WritePages(GiB);

    [Benchmark(Baseline = true)]
    public long Kernel() => Check(KernelBench.Madvise(GiB, Madv.MADV_FREE), "kernel MADV_FREE");

    [GlobalCleanup(Target = nameof(Kernel))]
    public void CleanupKernel() => Check(KernelBench.Unmap(GiB), "kernel munmap");

    [GlobalSetup(Target = nameof(Model))]
    public void SetupModel()
    {
        _p = NewModel();
        MapModel(_p, GiB);
        var until = DateTime.UtcNow.AddMilliseconds(500);
        while (DateTime.UtcNow < until)
        {
            SetupModelIteration();
            Model();
        }
    }

    [IterationSetup(Target = nameof(Model))]
    public void SetupModelIteration() => CheckOk(_p.Touch(Base, GiB, Access.Write), "touch");

    [Benchmark]
    public long Model() => _p.Madvise(Base, GiB, Madv.MADV_FREE);
}
