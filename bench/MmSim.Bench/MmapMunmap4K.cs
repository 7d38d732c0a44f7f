using BenchmarkDotNet.Attributes;
using MmSim.Abi;

namespace MmSim.Bench;

/// <summary>One mmap+munmap pair of a private anonymous 4 KiB page at an address the kernel chooses.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("mmap+munmap 4 KiB")]
[Rate(1, "pairs/s")]
public class MmapMunmap4K : PairedBenchmark
{
    private Process _p = null!;

    [GlobalSetup(Target = nameof(Kernel))]
    public void SetupKernel() => Check(KernelBench.MmapMunmap4K(), "kernel mmap+munmap");

    [Benchmark(Baseline = true)]
    public long Kernel() => KernelBench.MmapMunmap4K();

    [GlobalSetup(Target = nameof(Model))]
    public void SetupModel()
    {
        _p = NewModel();
        MapModel(_p, Small);
        CheckOk(_p.Touch(Base, Small, Access.Write), "touch");
        Check(Model(), "model mmap+munmap");
    }

    [Benchmark]
    public long Model()
    {
        long a = _p.Mmap(0, 4096, Rw, Map.MAP_PRIVATE | Map.MAP_ANONYMOUS, -1, 0);
        return _p.Munmap((ulong)a, 4096);
    }
}
