using BenchmarkDotNet.Attributes;
using MmSim.Abi;

namespace MmSim.Bench;

/// <summary>
/// MADV_PAGEOUT of 256 MiB of populated private anonymous memory, then a read of every page: swap out, and swap in
/// again. A 512 MiB swap file is on for the kernel side (root only), and the model has as much. IterationSetup writes
/// every page again (not zeros: a zero-filled page would not be written), which also frees the slots.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
[BenchmarkCategory("MADV_PAGEOUT 256 MiB + read back")]
[Rate(Pages, "pages/s")]
public class PageOut256MiB : PairedBenchmark
{
    private const ulong Size = 256UL << 20;
    private const int Pages = (int)(Size / 4096);
    private const ulong SwapSize = 512UL << 20;
    private Process _p = null!;
    private string? _swapFile;

    [GlobalSetup(Target = nameof(Kernel))]
    public void SetupKernel()
    {
        _swapFile = KernelBench.Swapon(SwapSize);
        Check(KernelBench.Map(Size), "kernel mmap of 256 MiB at 0x100000000000");
    }

    [IterationSetup(Target = nameof(Kernel))]
    public void SetupKernelIteration() => KernelBench.WritePages(Size);

    [Benchmark(Baseline = true)]
    public long Kernel()
    {
        Check(KernelBench.Madvise(Size, Madv.MADV_PAGEOUT), "kernel MADV_PAGEOUT");
        return KernelBench.ReadPages(Size);
    }

    [GlobalCleanup(Target = nameof(Kernel))]
    public void CleanupKernel()
    {
        Check(KernelBench.Unmap(Size), "kernel munmap");
        if (_swapFile is not null)
            KernelBench.Swapoff(_swapFile);
    }

    [GlobalSetup(Target = nameof(Model))]
    public void SetupModel()
    {
        _p = new global::MmSim.Kernel(new KernelConfig { RamBytes = 8 * GiB, SwapBytes = SwapSize }).Init;
        MapModel(_p, Size);
        // One invocation per iteration: warm the JIT up first, as the kernel's code is warm.
        var until = DateTime.UtcNow.AddMilliseconds(500);
        while (DateTime.UtcNow < until)
        {
            SetupModelIteration();
            Model();
        }
    }

    [IterationSetup(Target = nameof(Model))]
    public void SetupModelIteration() => CheckOk(_p.Fill(Base, Size, 1), "fill");

    [Benchmark]
    public long Model()
    {
        Check(_p.Madvise(Base, Size, Madv.MADV_PAGEOUT), "MADV_PAGEOUT");
        CheckOk(_p.Touch(Base, Size, Access.Read), "touch");
        return Pages;
    }
}
