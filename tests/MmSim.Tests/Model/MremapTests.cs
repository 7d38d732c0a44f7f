using MmSim.Abi;

namespace MmSim.Tests.Model;

/// <summary>mremap rules a golden scenario cannot pin on the kernel: limits the host runner's own mappings affect,
/// vm.max_map_count, the accounting quirks of 6.18, and the page-table move counters.</summary>
public class MremapTests
{
    private const ulong Base = 0x100000000000;
    private const int Rw = Prot.PROT_READ | Prot.PROT_WRITE;
    private const int PrivAnonFixed = Map.MAP_PRIVATE | Map.MAP_ANONYMOUS | Map.MAP_FIXED_NOREPLACE;
    private const int MoveFixed = Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED;

    [Fact]
    public void DontunmapBeyondRlimitAsIsEnomemAfterTheTargetWasUnmapped()
    {
        var k = new Kernel();
        var p = k.Init;
        p.Mmap(Base, 8 << 10, Rw, PrivAnonFixed, -1, 0);
        p.Mmap(Base + (1 << 20), 8 << 10, Prot.PROT_READ, PrivAnonFixed, -1, 0);
        ulong vmSize = (ulong)p.Mm!.TotalVm << 12;
        p.Setrlimit(Rlimit.RLIMIT_AS, new RLimit(vmSize, Rlimit.RLIM_INFINITY));
        long ret = p.Mremap(Base, 8 << 10, 8 << 10, MoveFixed | Mremap.MREMAP_DONTUNMAP, Base + (1 << 20) + 4096);
        Assert.Equal(-(long)Errno.ENOMEM, ret);
        // mremap_to() unmapped the target before may_expand_vm() refused.
        Assert.Equal(1, p.VmaCount(Base + (1 << 20), Base + (2 << 20)));
        k.Validate();
    }

    [Fact]
    public void MoveNearMaxMapCountIsEnomemBeforeAnythingChanges()
    {
        var k = new Kernel(new KernelConfig { MaxMapCount = 12 });
        var p = k.Init;
        // The stack is one VMA; make 6 more, apart.
        for (ulong i = 0; i < 6; i++)
            p.Mmap(Base + (i << 20), 4096, Rw, PrivAnonFixed, -1, 0);
        Assert.Equal(7, p.VmaCount(0, ulong.MaxValue));
        // map_count + 2 >= max_map_count - 3: 7 + 2 >= 9.
        Assert.Equal(-(long)Errno.ENOMEM, p.Mremap(Base, 4096, 4096, MoveFixed, Base + (10UL << 20)));
        Assert.Equal(7, p.VmaCount(0, ulong.MaxValue));
        p.Munmap(Base + (5UL << 20), 4096);
        Assert.Equal((long)(Base + (10UL << 20)), p.Mremap(Base, 4096, 4096, MoveFixed, Base + (10UL << 20)));
        k.Validate();
    }

    [Fact]
    public void FixedShrinkMoveOfAnAccountedMappingLeaksTheDeltaAsLinuxDoes()
    {
        var k = new Kernel();
        var p = k.Init;
        long before = k.CommittedPages;
        p.Mmap(Base, 64 << 10, Rw, PrivAnonFixed, -1, 0);
        Assert.Equal((long)(Base + (1 << 20)), p.Mremap(Base, 64 << 10, 16 << 10, MoveFixed, Base + (1 << 20)));
        p.Munmap(Base + (1 << 20), 16 << 10);
        // 12 pages unmapped by the shrink were charged again by the move (observed on 6.18: Committed_AS grows).
        Assert.Equal(before + 12, k.CommittedPages);
        k.Validate();
    }

    [Fact]
    public void AlignedGigabyteMovesOnePudEntryAndKeepsVmPte()
    {
        var k = new Kernel();
        var p = k.Init;
        p.Mmap(Base, 1UL << 30, Rw, PrivAnonFixed | Map.MAP_NORESERVE, -1, 0);
        for (ulong off = 0; off < 1UL << 30; off += 2UL << 20)
            p.Store(Base + off, [1]);
        long ptBytes = p.Mm!.PageTables.Bytes;
        Assert.Equal((long)(Base + (1UL << 39)), p.Mremap(Base, 1UL << 30, 1UL << 30, MoveFixed, Base + (1UL << 39)));
        Assert.Equal(1, k.VmStat.MremapPudMoved);
        Assert.Equal(0, k.VmStat.MremapPmdMoved);
        Assert.Equal(0, k.VmStat.MremapPteMoved);
        // The PMD table moved; a PUD table was allocated for the target and the source's was freed.
        Assert.Equal(ptBytes, p.Mm.PageTables.Bytes);
        var data = new byte[1];
        p.Load(Base + (1UL << 39) + (6UL << 20), data);
        Assert.Equal(1, data[0]);
        k.Validate();
    }

    [Fact]
    public void UnalignedMoveMovesEachPresentPte()
    {
        var k = new Kernel();
        var p = k.Init;
        p.Mmap(Base + 4096, 4 << 20, Rw, PrivAnonFixed, -1, 0);
        p.Touch(Base + 4096, 4 << 20, Access.Write);
        Assert.Equal((long)(Base + (1UL << 30) + 8192), p.Mremap(Base + 4096, 4 << 20, 4 << 20, MoveFixed, Base + (1UL << 30) + 8192));
        Assert.Equal(1024, k.VmStat.MremapPteMoved);
        Assert.Equal(0, k.VmStat.MremapPmdMoved);
        Assert.Contains("mremap_pte_moved 1024\n", k.ProcVmstat());
        k.Validate();
    }
}
