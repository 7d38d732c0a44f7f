using BenchmarkDotNet.Attributes;
using MmSim.Abi;

namespace MmSim.Bench;

/// <summary>
/// One mprotect split+merge pair in four populated pages at <see cref="PairedBenchmark.Base"/>: the second page to
/// read-only (one VMA becomes three) and back to read-write (three merge into one again).
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("mprotect split+merge")]
[Rate(1, "pairs/s")]
public class MprotectSplitMerge : PairedBenchmark
{
    private Process _p = null!;

    [GlobalSetup(Target = nameof(Kernel))]
    public void SetupKernel()
    {
        Check(KernelBench.SmallSetup(), "kernel mmap at 0x100000000000");
        Check(KernelBench.MprotectSplitMerge(), "kernel mprotect");
        int vmas = KernelBench.VmaCount(Base, Base + Small);
        if (vmas != 1)
            throw new InvalidOperationException($"the kernel left {vmas} VMAs after a split+merge pair, not 1");
    }

    [GlobalCleanup(Target = nameof(Kernel))]
    public void CleanupKernel() => Check(KernelBench.SmallTeardown(), "kernel munmap");

    [Benchmark(Baseline = true)]
    public long Kernel() => KernelBench.MprotectSplitMerge();

    [GlobalSetup(Target = nameof(Model))]
    public void SetupModel()
    {
        _p = NewModel();
        MapModel(_p, Small);
        CheckOk(_p.Touch(Base, Small, Access.Write), "touch");
        Check(Model(), "model mprotect");
        int vmas = _p.VmaCount(Base, Base + Small);
        if (vmas != 1)
            throw new InvalidOperationException($"the model left {vmas} VMAs after a split+merge pair, not 1");
    }

    [Benchmark]
    public long Model()
    {
        _p.Mprotect(Base + 4096, 4096, Prot.PROT_READ);
        return _p.Mprotect(Base + 4096, 4096, Rw);
    }
}
