using BenchmarkDotNet.Attributes;

namespace MmSim.Bench;

/// <summary>
/// 262,144 anonymous write faults: one write to each page of a fresh 1 GiB private anonymous mapping. Each
/// iteration maps the 1 GiB anew (IterationSetup) and unmaps it afterwards (IterationCleanup; a fresh model).
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
[BenchmarkCategory("write faults 1 GiB")]
[Rate(PagesPerGiB, "faults/s")]
public class WriteFaults1GiB : PairedBenchmark
{
    private Process? _p;

    [IterationSetup(Target = nameof(Kernel))]
    public void SetupKernel() => Check(KernelBench.Map(GiB), "kernel mmap of 1 GiB at 0x100000000000");

    [IterationCleanup(Target = nameof(Kernel))]
    public void CleanupKernel() => Check(KernelBench.Unmap(GiB), "kernel munmap");

    [Benchmark(Baseline = true)]
    public long Kernel() => KernelBench.WritePages(GiB);

    [IterationSetup(Target = nameof(Model))]
    public void SetupModel()
    {
        _p = NewModel();
        MapModel(_p, GiB);
    }

    [IterationCleanup(Target = nameof(Model))]
    public void CleanupModel() => _p = null;

    [Benchmark]
    public AccessResult Model() => _p!.Touch(Base, GiB, Access.Write);
}
