using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MmSim.Abi;

namespace MmSim.Bench;

/// <summary>
/// Seed 004's comparison: MADV_DONTNEED of 512 populated pages, every other page of 4 MiB, either as one
/// process_madvise() of 512 iovecs through a pidfd of the process itself (one mmu_gather for the vector) or as 512
/// madvise() calls. IterationSetup writes the pages again.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
[BenchmarkCategory("DONTNEED of 512 pages")]
[Rate(Ranges, "ranges/s")]
public class DontNeedVector : PairedBenchmark
{
    public const int Ranges = 512;
    private const ulong Span = 2UL * Ranges * 4096;

    public enum Calls
    {
        ProcessMadvise,
        Madvise,
    }

    [Params(Calls.ProcessMadvise, Calls.Madvise)]
    public Calls Way { get; set; }

    private Process _p = null!;
    private int _pidfd;
    private readonly byte[] _iov = new byte[Ranges * 16];

    [GlobalSetup(Target = nameof(Kernel))]
    public void SetupKernel() => Check(KernelBench.Map(Span), "kernel mmap of 4 MiB at 0x100000000000");

    [IterationSetup(Target = nameof(Kernel))]
    public void SetupKernelIteration() => KernelBench.WritePages(Span);

    [Benchmark(Baseline = true)]
    public long Kernel() => Check(KernelBench.DontNeedVector(Ranges, Way == Calls.ProcessMadvise ? 1 : 0), "kernel DONTNEED");

    [GlobalCleanup(Target = nameof(Kernel))]
    public void CleanupKernel() => Check(KernelBench.Unmap(Span), "kernel munmap");

    [GlobalSetup(Target = nameof(Model))]
    public void SetupModel()
    {
        _p = NewModel();
        MapModel(_p, Span);
        _pidfd = (int)Check(_p.PidfdOpen(_p.Pid, 0), "pidfd_open");
        for (int i = 0; i < Ranges; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_iov.AsSpan(i * 16), Base + (2UL * (ulong)i * 4096));
            BinaryPrimitives.WriteUInt64LittleEndian(_iov.AsSpan(i * 16 + 8), 4096);
        }
        // One invocation per iteration never gets the model's code past the JIT's first tier: warm it up first, as
        // the kernel's code is warm. Half a second of both ways is far past the tiering thresholds.
        var until = DateTime.UtcNow.AddMilliseconds(500);
        var way = Way;
        while (DateTime.UtcNow < until)
        {
            foreach (var calls in (ReadOnlySpan<Calls>)[Calls.ProcessMadvise, Calls.Madvise])
            {
                SetupModelIteration();
                Way = calls;
                Model();
            }
        }
        Way = way;
    }

    [IterationSetup(Target = nameof(Model))]
    public void SetupModelIteration() => CheckOk(_p.Touch(Base, Span, Access.Write), "touch");

    [Benchmark]
    public long Model()
    {
        if (Way == Calls.ProcessMadvise)
            return Check(_p.ProcessMadvise(_pidfd, UserPtr.Of(_iov), Ranges, Madv.MADV_DONTNEED, 0), "process_madvise");
        for (int i = 0; i < Ranges; i++)
            Check(_p.Madvise(Base + (2UL * (ulong)i * 4096), 4096, Madv.MADV_DONTNEED), "madvise");
        return Ranges;
    }
}
