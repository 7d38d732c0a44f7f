using MmSim.Abi;

namespace MmSim.Tests.Model;

public class MemoryPressureTests
{
    private const ulong Base = 0x100000000000;
    private const int Rw = Prot.PROT_READ | Prot.PROT_WRITE;
    private const int PrivAnonFixed = Map.MAP_PRIVATE | Map.MAP_ANONYMOUS | Map.MAP_FIXED_NOREPLACE;

    [Fact]
    public void MappingLargerThanRamIsEnomemUnderHeuristicOvercommit()
    {
        var k = new Kernel(new KernelConfig { RamBytes = 16 << 20 });
        Assert.Equal(-(long)Errno.ENOMEM, k.Init.Mmap(Base, 32 << 20, Rw, PrivAnonFixed, -1, 0));
        // MAP_NORESERVE is not charged, so it is allowed (overcommit_memory=0 honours it).
        Assert.Equal((long)Base, k.Init.Mmap(Base, 32 << 20, Rw, PrivAnonFixed | Map.MAP_NORESERVE, -1, 0));
        k.Validate();
    }

    [Fact]
    public void OomKillerEndsTheLargestProcessAndTheFaultingOneSeesSigkill()
    {
        var k = new Kernel(new KernelConfig { RamBytes = 16 << 20 });
        var p = k.Init;
        Assert.Equal((long)Base, p.Mmap(Base, 32 << 20, Rw, PrivAnonFixed | Map.MAP_NORESERVE, -1, 0));
        var r = p.Touch(Base, 32 << 20, Access.Write);
        Assert.Equal(Signal.SIGKILL, r.Signal);
        Assert.False(p.IsAlive);
        Assert.Equal(Signal.SIGKILL, p.KilledBySignal);
        Assert.Equal(1, k.OomKills);
        k.Validate();
    }

    [Fact]
    public void OomKillerPicksTheBiggerProcess()
    {
        var k = new Kernel(new KernelConfig { RamBytes = 16 << 20 });
        var p = k.Init;
        p.Mmap(Base, 12 << 20, Rw, PrivAnonFixed | Map.MAP_NORESERVE, -1, 0);
        Assert.False(p.Touch(Base, 12 << 20, Access.Write).Faulted);
        var child = k.FindProcess((int)p.Fork())!;
        child.Mmap(Base + (64 << 20), 8 << 20, Rw, PrivAnonFixed | Map.MAP_NORESERVE, -1, 0);
        // The child's COW copies of the parent's pages are shared; its own 8 MiB does not fit beside them...
        var r = child.Touch(Base + (64 << 20), 8 << 20, Access.Write);
        // ...and the victim is whoever has the larger RSS + page tables: the child (12 MiB shared + new pages).
        Assert.Equal(Signal.SIGKILL, r.Signal);
        Assert.False(child.IsAlive);
        Assert.True(p.IsAlive);
        k.Validate();
    }

    [Fact]
    public void ExitFreesEveryFrame()
    {
        var k = new Kernel(new KernelConfig { RamBytes = 64 << 20 });
        var p = k.Init;
        int fd = (int)p.MemfdCreate("m", 0);
        p.Ftruncate(fd, 1 << 20);
        p.Mmap(Base, 1 << 20, Rw, Map.MAP_SHARED | Map.MAP_FIXED_NOREPLACE, fd, 0);
        p.Mmap(Base + (4 << 20), 1 << 20, Rw, PrivAnonFixed, -1, 0);
        p.Touch(Base, 1 << 20, Access.Write);
        p.Touch(Base + (4 << 20), 1 << 20, Access.Write);
        var c = k.FindProcess((int)p.Fork())!;
        c.Touch(Base + (4 << 20), 1 << 20, Access.Write);
        c.ExitGroup(0);
        p.ExitGroup(0);
        k.Validate();
        Assert.Empty(k.Processes);
        Assert.Contains("MemFree:           65532 kB", k.ProcMeminfo());
    }

    [Fact]
    public void RefaultingAPopulatedRangeAllocatesNothing()
    {
        var k = new Kernel(new KernelConfig { RamBytes = 64 << 20 });
        var p = k.Init;
        p.Mmap(Base, 4 << 20, Rw, PrivAnonFixed, -1, 0);
        p.Touch(Base, 4 << 20, Access.Write);
        p.Madvise(Base, 4 << 20, Madv.MADV_DONTNEED);
        p.Touch(Base, 4 << 20, Access.Write);
        p.Madvise(Base, 4 << 20, Madv.MADV_DONTNEED);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var r = p.Touch(Base, 4 << 20, Access.Write);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.False(r.Faulted);
        Assert.Equal(0, allocated);
        k.Validate();
    }

    private static long MeminfoKb(Kernel k, string field)
    {
        var line = k.ProcMeminfo().Split('\n').First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..^3].Trim());
    }

    [Fact]
    public void PageTablesComeOutOfRamAndTheOomKillerEndsAProcessThatMapsTooMany()
    {
        var k = new Kernel(new KernelConfig { RamBytes = 16 << 20 });
        var p = k.Init;
        long free = MeminfoKb(k, "MemFree");
        long tables = MeminfoKb(k, "PageTables");
        long rss = p.Mm!.Rss;
        Assert.Equal((long)Base, p.Mmap(Base, 1UL << 40, Prot.PROT_READ, PrivAnonFixed | Map.MAP_NORESERVE, -1, 0));
        // Reading 1 GiB maps the zero page through 512 PTE tables, one PMD table and one PUD table: 514 frames.
        Assert.False(p.Touch(Base, 1 << 30, Access.Read).Faulted);
        Assert.Equal(tables + 514 * 4, MeminfoKb(k, "PageTables"));
        Assert.Equal(free - 514 * 4, MeminfoKb(k, "MemFree"));
        Assert.Equal(rss, p.Mm!.Rss);
        k.Validate();

        // 16 MiB of RAM holds page tables for less than 8 GiB of address space: reading 1 TiB meets the OOM killer.
        var r = p.Touch(Base, 1UL << 40, Access.Read);
        Assert.Equal(Signal.SIGKILL, r.Signal);
        Assert.Equal(1, k.OomKills);
        Assert.Equal(16 * 1024 - 4, MeminfoKb(k, "MemFree"));
        Assert.Equal(0, MeminfoKb(k, "PageTables"));
        k.Validate();
    }

    [Fact]
    public void ForkThatCannotHaveItsPageTablesFailsWithEnomemAndTheOomVictimIsGone()
    {
        var k = new Kernel(new KernelConfig { RamBytes = 16 << 20 });
        var p = k.Init;
        // Fill RAM but for a few frames above the min watermark (the reserve allocations cannot take) with the
        // parent's own pages, spread one per 2 MiB so that the child needs a PTE table for each of them.
        Assert.Equal((long)Base, p.Mmap(Base, 64UL << 30, Rw, PrivAnonFixed | Map.MAP_NORESERVE, -1, 0));
        long pages = (k.Phys.FreeFrames - k.Phys.WmarkMin) / 2;
        for (long i = 0; i < pages - 8; i++)
            Assert.False(p.Touch(Base + ((ulong)i << 21), 1, Access.Write).Faulted);
        k.Validate();
        // The only process is the OOM killer's only choice: fork fails, and the parent is killed.
        Assert.Equal(-(long)Errno.ENOMEM, p.Fork());
        Assert.False(p.IsAlive);
        Assert.Equal(1, k.OomKills);
        Assert.Equal(16 * 1024 - 4, MeminfoKb(k, "MemFree"));
        k.Validate();
    }

    [Fact]
    public void MremapMovesWhenItsPageTablesFitAndKillsWhenNothingCanBeFreed()
    {
        var k = new Kernel(new KernelConfig { RamBytes = 16 << 20 });
        var p = k.Init;
        Assert.Equal((long)Base, p.Mmap(Base, 8 << 20, Rw, PrivAnonFixed, -1, 0));
        Assert.False(p.Touch(Base, 8 << 20, Access.Write).Faulted);
        ulong target = Base + (1UL << 40) + 4096;
        Assert.Equal((long)target, p.Mremap(Base, 8 << 20, 8 << 20, Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED, target));
        k.Validate();
        // Read-fault the rest of RAM away into page tables; the unaligned move back needs new PTE tables.
        Assert.Equal((long)Base, p.Mmap(Base, 64UL << 30, Prot.PROT_READ, PrivAnonFixed | Map.MAP_NORESERVE, -1, 0));
        for (ulong a = Base; k.Phys.FreeFrames > k.Phys.WmarkMin + 2; a += 2 << 20)
            Assert.False(p.Touch(a, 1, Access.Read).Faulted);
        ulong back = Base + (128UL << 30) + 4096;
        Assert.Equal(-(long)Errno.ENOMEM, p.Mremap(target, 8 << 20, 8 << 20, Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED, back));
        Assert.False(p.IsAlive);
        k.Validate();
    }
}
