using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MmSim.Abi;

namespace MmSim.Bench;

/// <summary>
/// The userfaultfd benchmarks' shared frame, the model's side of kernel_bench.c's kb_uffd_*: a region at
/// <see cref="PairedBenchmark.Base"/> registered with a userfaultfd, a faulting thread, and the benchmark as the
/// monitor, which reads each fault's message and resolves <c>stride</c> bytes around it with UFFDIO_COPY or
/// UFFDIO_CONTINUE. The model's thread blocks in its fault and retries it once woken, as the kernel's does.
/// </summary>
internal sealed class ModelUffd
{
    public enum Kind
    {
        /// <summary>Private anonymous memory, MISSING faults, resolved by UFFDIO_COPY.</summary>
        AnonMissingCopy,
        /// <summary>A memfd mapped shared, MISSING faults: UFFDIO_COPY fills the page cache.</summary>
        ShmemMissingCopy,
        /// <summary>A memfd mapped shared whose pages are cached, MINOR faults: UFFDIO_CONTINUE maps them, copying nothing.</summary>
        ShmemMinorContinue,
    }

    private const ulong Base = PairedBenchmark.Base;
    private readonly Process _p;
    private readonly TaskStruct _faulter;
    private readonly int _uffd, _memfd = -1;
    private readonly ulong _len, _stride, _src;
    private readonly Kind _kind;
    private readonly byte[] _msg = new byte[32];
    private readonly byte[] _resolve = new byte[40];

    public ModelUffd(ulong len, ulong stride, Kind kind)
    {
        (_len, _stride, _kind) = (len, stride, kind);
        _p = new global::MmSim.Kernel(new KernelConfig { RamBytes = 8 * PairedBenchmark.GiB }).Init;
        const int rw = Prot.PROT_READ | Prot.PROT_WRITE;
        _src = (ulong)Check(_p.Mmap(0, stride, rw, Map.MAP_PRIVATE | Map.MAP_ANONYMOUS | Map.MAP_POPULATE, -1, 0), "mmap src");
        Ok(_p.Fill(_src, stride, 0x5a), "fill src");
        if (kind == Kind.AnonMissingCopy)
        {
            Check(_p.Mmap(Base, len, rw, Map.MAP_PRIVATE | Map.MAP_ANONYMOUS | Map.MAP_FIXED_NOREPLACE, -1, 0), "mmap");
        }
        else
        {
            _memfd = (int)Check(_p.MemfdCreate("bench", 0), "memfd_create");
            Check(_p.Ftruncate(_memfd, (long)len), "ftruncate");
            Check(_p.Mmap(Base, len, rw, Map.MAP_SHARED | Map.MAP_FIXED_NOREPLACE, _memfd, 0), "mmap memfd");
        }
        if (kind == Kind.ShmemMinorContinue)
        {
            Ok(_p.Fill(Base, len, 0x5a), "fill the page cache");
            Check(_p.Madvise(Base, len, Madv.MADV_DONTNEED), "madvise(MADV_DONTNEED)");
        }
        _uffd = (int)Check(_p.Userfaultfd(OpenFlags.O_CLOEXEC | Uffd.UFFD_USER_MODE_ONLY), "userfaultfd");
        var api = new byte[24];
        BinaryPrimitives.WriteUInt64LittleEndian(api, Uffd.UFFD_API);
        Check(_p.Ioctl(_uffd, Uffd.UFFDIO_API, UserPtr.Of(api)), "UFFDIO_API");
        var reg = new byte[32];
        BinaryPrimitives.WriteUInt64LittleEndian(reg, Base);
        BinaryPrimitives.WriteUInt64LittleEndian(reg.AsSpan(8), len);
        BinaryPrimitives.WriteUInt64LittleEndian(reg.AsSpan(16),
            kind == Kind.ShmemMinorContinue ? Uffd.UFFDIO_REGISTER_MODE_MINOR : Uffd.UFFDIO_REGISTER_MODE_MISSING);
        Check(_p.Ioctl(_uffd, Uffd.UFFDIO_REGISTER, UserPtr.Of(reg)), "UFFDIO_REGISTER");
        _faulter = _p.Kernel.FindTask((int)Check(_p.Leader.Clone(), "clone"))!;
    }

    /// <summary>Empties the region again: MADV_DONTNEED, or for MISSING on shmem a truncation of the file.</summary>
    public void Reset()
    {
        if (_kind == Kind.ShmemMissingCopy)
        {
            Check(_p.Ftruncate(_memfd, 0), "ftruncate 0");
            Check(_p.Ftruncate(_memfd, (long)_len), "ftruncate");
            return;
        }
        Check(_p.Madvise(Base, _len, Madv.MADV_DONTNEED), "madvise(MADV_DONTNEED)");
    }

    /// <summary>One pass, as kb_uffd_run(): the thread faults on every stride, the monitor resolves each. Returns the faults.</summary>
    public long Run()
    {
        long faults = 0;
        for (ulong off = 0; off < _len; off += _stride, faults++)
        {
            _p.Current = _faulter;
            if (!_p.Touch(Base + off, 1, Access.Read).IsBlocked)
                throw new InvalidOperationException($"the model's thread did not block at +0x{off:x}");
            _p.Current = _p.Leader;
            Check(_p.Read(_uffd, UserPtr.Of(_msg), 32), "read");
            ulong at = BinaryPrimitives.ReadUInt64LittleEndian(_msg.AsSpan(16)) & ~(_stride - 1);
            BinaryPrimitives.WriteUInt64LittleEndian(_resolve, at);
            if (_kind == Kind.ShmemMinorContinue)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(_resolve.AsSpan(8), _stride);
                BinaryPrimitives.WriteUInt64LittleEndian(_resolve.AsSpan(16), 0);
                Check(_p.Ioctl(_uffd, Uffd.UFFDIO_CONTINUE, UserPtr.Of(_resolve)), "UFFDIO_CONTINUE");
            }
            else
            {
                BinaryPrimitives.WriteUInt64LittleEndian(_resolve.AsSpan(8), _src);
                BinaryPrimitives.WriteUInt64LittleEndian(_resolve.AsSpan(16), _stride);
                BinaryPrimitives.WriteUInt64LittleEndian(_resolve.AsSpan(24), 0);
                Check(_p.Ioctl(_uffd, Uffd.UFFDIO_COPY, UserPtr.Of(_resolve)), "UFFDIO_COPY");
            }
            // Woken: the thread retries its fault, which finds the page now.
            if (!_faulter.IsWoken)
                throw new InvalidOperationException("the model's thread was not woken");
            _faulter.Retried();
            _p.Current = _faulter;
            Ok(_p.Touch(Base + off, 1, Access.Read), "retried fault");
        }
        _p.Current = _p.Leader;
        return faults;
    }

    private static long Check(long result, string what) =>
        result >= 0 ? result : throw new InvalidOperationException($"model {what} failed: {(Errno)(-result)}");

    private static void Ok(AccessResult r, string what)
    {
        if (r != AccessResult.Ok)
            throw new InvalidOperationException($"model {what}: {r}");
    }
}

/// <summary>
/// The userfault round trip: a thread faults on an empty registered page, the monitor reads the message and
/// resolves it with UFFDIO_COPY, the thread resumes. Each operation first empties the page (MADV_DONTNEED).
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("userfault round trip")]
[Rate(1, "round trips/s")]
public class UffdRoundTrip : PairedBenchmark
{
    private ModelUffd? _model;

    [GlobalSetup(Target = nameof(Kernel))]
    public void SetupKernel() => Check(KernelBench.UffdSetup(4096, 4096, 0), "kernel userfaultfd setup");

    [GlobalCleanup(Target = nameof(Kernel))]
    public void CleanupKernel() => KernelBench.UffdTeardown();

    [Benchmark(Baseline = true)]
    public long Kernel()
    {
        Check(KernelBench.UffdReset(), "kernel reset");
        return Check(KernelBench.UffdRun(), "kernel round trip");
    }

    [GlobalSetup(Target = nameof(Model))]
    public void SetupModel() => _model = new ModelUffd(4096, 4096, ModelUffd.Kind.AnonMissingCopy);

    [Benchmark]
    public long Model()
    {
        _model!.Reset();
        return _model.Run();
    }
}

/// <summary>
/// Resolving the faults of 1 GiB of a memfd mapped shared, the seed's comparison: MISSING faults resolved by
/// UFFDIO_COPY (each 2 MiB copied into the page cache) against MINOR faults resolved by UFFDIO_CONTINUE (the cache
/// has the pages: 2 MiB mapped, nothing copied). The thread faults on the first page of each 2 MiB: 512 faults.
/// The region is emptied before each operation (IterationSetup): the file truncated, or its PTEs dropped.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
[BenchmarkCategory("resolve 1 GiB of userfaults")]
[Rate(1, "GiB/s")]
public class UffdResolve1GiB : PairedBenchmark
{
    public const ulong Stride = 2UL << 20;

    public enum Resolution
    {
        MissingCopy,
        MinorContinue,
    }

    [Params(Resolution.MissingCopy, Resolution.MinorContinue)]
    public Resolution Way { get; set; }

    private ModelUffd? _model;

    private ModelUffd.Kind Kind => Way == Resolution.MissingCopy ? ModelUffd.Kind.ShmemMissingCopy : ModelUffd.Kind.ShmemMinorContinue;

    [GlobalSetup(Target = nameof(Kernel))]
    public void SetupKernel() => Check(KernelBench.UffdSetup(GiB, Stride, (int)Kind), "kernel userfaultfd setup");

    [GlobalCleanup(Target = nameof(Kernel))]
    public void CleanupKernel() => KernelBench.UffdTeardown();

    [IterationSetup(Target = nameof(Kernel))]
    public void ResetKernel() => Check(KernelBench.UffdReset(), "kernel reset");

    [Benchmark(Baseline = true)]
    public long Kernel() => Check(KernelBench.UffdRun(), "kernel resolution");

    [GlobalSetup(Target = nameof(Model))]
    public void SetupModel() => _model = new ModelUffd(GiB, Stride, Kind);

    [IterationSetup(Target = nameof(Model))]
    public void ResetModel() => _model!.Reset();

    [Benchmark]
    public long Model() => _model!.Run();
}
