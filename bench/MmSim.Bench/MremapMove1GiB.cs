using BenchmarkDotNet.Attributes;
using MmSim.Abi;

namespace MmSim.Bench;

/// <summary>How the source and target of the 1 GiB move sit against the page-table boundaries.</summary>
public enum MoveAlignment
{
    /// <summary>Both 1 GiB-aligned: one PUD entry moves (move_normal_pud()).</summary>
    PudAligned,
    /// <summary>Both 2 MiB-aligned, not 1 GiB: 512 PMD entries move (move_normal_pmd()).</summary>
    PmdAligned,
    /// <summary>At different offsets in their 2 MiB: 262,144 PTEs move one by one (move_ptes()).</summary>
    Unaligned,
}

/// <summary>
/// mremap(MREMAP_MAYMOVE|MREMAP_FIXED) of 1 GiB of populated private anonymous memory, back and forth between
/// two places 4 GiB apart: each invocation moves it to the other place, and both directions cost the same, so
/// BenchmarkDotNet may run as many invocations per iteration as it likes (the PUD and PMD cases take microseconds).
/// The alignment decides at which page-table level Linux moves the entries.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("mremap move 1 GiB")]
[Rate(PagesPerGiB, "pages/s")]
public class MremapMove1GiB : PairedBenchmark
{
    private Process _p = null!;
    private ulong _here;
    private ulong _there;

    [Params(MoveAlignment.PudAligned, MoveAlignment.PmdAligned, MoveAlignment.Unaligned)]
    public MoveAlignment Alignment { get; set; }

    private (ulong From, ulong To) Places() => Alignment switch
    {
        MoveAlignment.PudAligned => (Base, Base + (4 * GiB)),
        MoveAlignment.PmdAligned => (Base + (2UL << 20), Base + (4 * GiB) + (2UL << 20)),
        _ => (Base + 4096, Base + (4 * GiB) + 8192),
    };

    [GlobalSetup(Target = nameof(Kernel))]
    public void SetupKernel()
    {
        (_here, _there) = Places();
        Check(KernelBench.MapPopulatedAt(_here, GiB), "kernel mmap of 1 GiB");
    }

    [Benchmark(Baseline = true)]
    public long Kernel()
    {
        long r = KernelBench.MremapMove(_here, GiB, _there);
        (_here, _there) = (_there, _here);
        return r;
    }

    [GlobalCleanup(Target = nameof(Kernel))]
    public void CleanupKernel() => Check(KernelBench.UnmapAt(_here, GiB), "kernel munmap");

    [GlobalSetup(Target = nameof(Model))]
    public void SetupModel()
    {
        (_here, _there) = Places();
        _p = NewModel();
        long a = Check(_p.Mmap(_here, GiB, Rw, Map.MAP_PRIVATE | Map.MAP_ANONYMOUS | Map.MAP_FIXED_NOREPLACE, -1, 0), "mmap");
        Check(_p.Madvise((ulong)a, GiB, Madv.MADV_NOHUGEPAGE), "madvise(MADV_NOHUGEPAGE)");
        CheckOk(_p.Touch(_here, GiB, Access.Write), "touch");
    }

    [Benchmark]
    public long Model()
    {
        long r = _p.Mremap(_here, GiB, GiB, Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED, _there);
        (_here, _there) = (_there, _here);
        return r;
    }
}
