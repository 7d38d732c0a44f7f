using BenchmarkDotNet.Attributes;

namespace MmSim.Bench;

/// <summary>
/// The frame of the mlock benchmarks: each iteration locks a fresh, unpopulated 1 GiB private anonymous mapping
/// (IterationSetup maps it; on the model, in a fresh model), and IterationCleanup checks VmLck (the whole 1 GiB)
/// and the VMA's Rss and Locked (<see cref="Resident"/> bytes) before it unmaps. Both sides are first allowed to
/// lock 1 GiB (<see cref="PairedBenchmark.AllowKernelMlock"/>, <see cref="PairedBenchmark.AllowModelMlock"/>).
/// A derived class has the two benchmarks, <c>Kernel</c> (the baseline) and <c>Model</c>.
/// </summary>
public abstract class FreshGiBLock : PairedBenchmark
{
    private const string Kernel = "Kernel";
    private const string Model = "Model";

    /// <summary>The model's process for the iteration.</summary>
    protected Process? P { get; private set; }

    /// <summary>What the benchmark leaves resident, and so locked, in the 1 GiB.</summary>
    protected abstract ulong Resident { get; }

    [GlobalSetup(Target = Kernel)]
    public void SetupKernel() => AllowKernelMlock();

    [IterationSetup(Target = Kernel)]
    public void SetupKernelIteration() => Check(KernelBench.Map(GiB), "kernel mmap of 1 GiB at 0x100000000000");

    [IterationCleanup(Target = Kernel)]
    public void CleanupKernelIteration()
    {
        try
        {
            CheckLocked("kernel", KernelBench.Status(), KernelBench.SmapsEntry(Base), GiB, Resident);
        }
        finally
        {
            Check(KernelBench.Unmap(GiB), "kernel munmap");
        }
    }

    [IterationSetup(Target = Model)]
    public void SetupModelIteration()
    {
        P = NewModel();
        MapModel(P, GiB);
        AllowModelMlock(P);
    }

    [IterationCleanup(Target = Model)]
    public void CleanupModelIteration()
    {
        CheckLocked("model", P!.ProcStatus(), P.ProcSmapsEntry(Base), GiB, Resident);
        P = null;
    }
}
