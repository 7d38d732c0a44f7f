using BenchmarkDotNet.Attributes;

namespace MmSim.Bench;

/// <summary>
/// fork() of a process with 1 GiB of private anonymous memory populated. The child exits at once; the parent
/// reaps it in IterationCleanup, outside the measurement, and IterationSetup writes every page again, so each
/// fork starts from pages that are the parent's alone and writable, as after the first populate.
/// </summary>
/// <remarks>
/// The kernel side forks the whole benchmark process: the .NET runtime's own mappings are copied too (a few
/// tens of MB resident), while the model process holds only the 1 GiB.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(1)]
[BenchmarkCategory("fork 1 GiB")]
[Rate(PagesPerGiB, "pages/s")]
public class Fork1GiB : PairedBenchmark
{
    private Process _p = null!;
    private long _kernelChild;
    private int _modelChild;

    [GlobalSetup(Target = nameof(Kernel))]
    public void SetupKernel() => Check(KernelBench.Map(GiB), "kernel mmap of 1 GiB at 0x100000000000");

    [IterationSetup(Target = nameof(Kernel))]
    public void SetupKernelIteration() => KernelBench.WritePages(GiB);

    [Benchmark(Baseline = true)]
    public long Kernel() => _kernelChild = KernelBench.Fork();

    [IterationCleanup(Target = nameof(Kernel))]
    public void CleanupKernelIteration()
    {
        long pid = Check(_kernelChild, "kernel fork");
        _kernelChild = 0;
        if (pid > 0)
            Check(KernelBench.Wait(pid), "waitpid");
    }

    [GlobalCleanup(Target = nameof(Kernel))]
    public void CleanupKernel()
    {
        if (_kernelChild > 0)
            KernelBench.Wait(_kernelChild);
        _kernelChild = 0;
        Check(KernelBench.Unmap(GiB), "kernel munmap");
    }

    [GlobalSetup(Target = nameof(Model))]
    public void SetupModel()
    {
        _p = NewModel();
        MapModel(_p, GiB);
    }

    [IterationSetup(Target = nameof(Model))]
    public void SetupModelIteration() => CheckOk(_p.Touch(Base, GiB, Access.Write), "touch");

    [Benchmark]
    public long Model() => _modelChild = (int)_p.Fork();

    [IterationCleanup(Target = nameof(Model))]
    public void CleanupModelIteration()
    {
        Check(_modelChild, "model fork");
        _p.Kernel.FindProcess(_modelChild)?.ExitGroup(0);
        _modelChild = 0;
    }
}
