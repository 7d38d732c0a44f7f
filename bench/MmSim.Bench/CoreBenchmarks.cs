using BenchmarkDotNet.Attributes;
using MmSim.Abi;

namespace MmSim.Bench;

/// <summary>
/// The core issue's microbenchmarks. Each reports the time of one operation as the kernel figure is quoted:
/// a single mmap+munmap pair, a single mprotect split+merge pair, and the whole 1 GiB operation otherwise
/// (divide 262,144 by the write-fault time per GiB for faults/s).
/// </summary>
[MemoryDiagnoser]
public class CoreBenchmarks
{
    private const ulong Base = 0x100000000000;
    private const ulong GiB = 1UL << 30;
    private const int Rw = Prot.PROT_READ | Prot.PROT_WRITE;
    private const int PrivAnonFixed = Map.MAP_PRIVATE | Map.MAP_ANONYMOUS | Map.MAP_FIXED;

    private Kernel _kernel = null!;
    private Process _p = null!;
    private int _child;

    private void NewKernel()
    {
        _kernel = new Kernel(new KernelConfig { RamBytes = 8 * GiB });
        _p = _kernel.Init;
    }

    [GlobalSetup(Targets = [nameof(MmapMunmap4K), nameof(MprotectSplitMerge)])]
    public void SetupSmall()
    {
        NewKernel();
        _p.Mmap(Base, 16384, Rw, PrivAnonFixed, -1, 0);
        _p.Touch(Base, 16384, Access.Write);
    }

    /// <summary>Kernel here: about 240,000 pairs/s (4.2 µs a pair).</summary>
    [Benchmark]
    public long MmapMunmap4K()
    {
        long a = _p.Mmap(0, 4096, Rw, Map.MAP_PRIVATE | Map.MAP_ANONYMOUS, -1, 0);
        return _p.Munmap((ulong)a, 4096);
    }

    /// <summary>Kernel here: about 140,000 pairs/s (7.1 µs a pair).</summary>
    [Benchmark]
    public long MprotectSplitMerge()
    {
        _p.Mprotect(Base + 4096, 4096, Prot.PROT_READ);
        return _p.Mprotect(Base + 4096, 4096, Rw);
    }

    [IterationSetup(Target = nameof(WriteFaults1GiB))]
    public void SetupFaults()
    {
        NewKernel();
        _p.Mmap(Base, GiB, Rw, PrivAnonFixed, -1, 0);
    }

    /// <summary>262,144 anonymous write faults. Kernel here: about 220,000 faults/s (1.19 s per GiB).</summary>
    [Benchmark]
    [InvocationCount(1)]
    public AccessResult WriteFaults1GiB() => _p.Touch(Base, GiB, Access.Write);

    [IterationSetup(Target = nameof(Fork1GiB))]
    public void SetupFork()
    {
        if (_kernel is null || _p.VmaCount(Base, Base + GiB) == 0)
        {
            NewKernel();
            _p.Mmap(Base, GiB, Rw, PrivAnonFixed, -1, 0);
            _p.Touch(Base, GiB, Access.Write);
        }
    }

    /// <summary>fork() of a process with 1 GiB populated. Kernel here: about 45 ms.</summary>
    [Benchmark]
    [InvocationCount(1)]
    public long Fork1GiB() => _child = (int)_p.Fork();

    [IterationCleanup(Target = nameof(Fork1GiB))]
    public void CleanupFork() => _kernel.FindProcess(_child)?.ExitGroup(0);

    [IterationSetup(Target = nameof(DontNeed1GiB))]
    public void SetupDontNeed()
    {
        if (_kernel is null)
            NewKernel();
        if (_p.VmaCount(Base, Base + GiB) == 0)
            _p.Mmap(Base, GiB, Rw, PrivAnonFixed, -1, 0);
        _p.Touch(Base, GiB, Access.Write);
    }

    /// <summary>MADV_DONTNEED of 1 GiB populated. Kernel here: about 90 ms.</summary>
    [Benchmark]
    [InvocationCount(1)]
    public long DontNeed1GiB() => _p.Madvise(Base, GiB, Madv.MADV_DONTNEED);
}
