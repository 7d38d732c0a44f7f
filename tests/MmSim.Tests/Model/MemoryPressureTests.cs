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
}
