using System.Text;
using MmSim.Abi;

namespace MmSim.Tests.Model;

public class SmokeTests
{
    private const ulong Base = 0x100000000000;
    private const int Rw = Prot.PROT_READ | Prot.PROT_WRITE;
    private const int PrivAnon = Map.MAP_PRIVATE | Map.MAP_ANONYMOUS;

    [Fact]
    public void AnonymousWriteFaultAllocatesAndSmapsCountsIt()
    {
        var k = new Kernel();
        var p = k.Init;
        Assert.Equal((long)Base, p.Mmap(Base, 16384, Rw, PrivAnon | Map.MAP_FIXED_NOREPLACE, -1, 0));
        Assert.False(p.Store(Base, "hello"u8).Faulted);
        k.Validate();
        var smaps = p.ProcSmapsEntry(Base)!;
        Assert.Contains("Rss:                   4 kB", smaps);
        Assert.Contains("Anonymous:             4 kB", smaps);
        Assert.Contains("VmFlags: rd wr mr mw me ac \n", smaps);
        var buf = new byte[5];
        Assert.False(p.Load(Base, buf).Faulted);
        Assert.Equal("hello", Encoding.ASCII.GetString(buf));
    }

    [Fact]
    public void MprotectSplitsAndRemerges()
    {
        var k = new Kernel();
        var p = k.Init;
        p.Mmap(Base, 16384, Rw, PrivAnon | Map.MAP_FIXED_NOREPLACE, -1, 0);
        p.Store(Base, "x"u8);
        Assert.Equal(0, p.Mprotect(Base + 4096, 4096, Prot.PROT_READ));
        Assert.Equal(3, p.VmaCount(Base, Base + 16384));
        k.Validate();
        var r = p.Store(Base + 4096, "x"u8);
        Assert.Equal(Signal.SIGSEGV, r.Signal);
        Assert.Equal(Signal.SEGV_ACCERR, r.SiCode);
        Assert.Equal(0, p.Mprotect(Base + 4096, 4096, Rw));
        Assert.Equal(1, p.VmaCount(Base, Base + 16384));
        k.Validate();
    }

    [Fact]
    public void ForkIsCopyOnWriteAndExitFreesEverything()
    {
        var k = new Kernel();
        var p = k.Init;
        long freeBefore = -1;
        p.Mmap(Base, 8192, Rw, PrivAnon | Map.MAP_FIXED_NOREPLACE, -1, 0);
        p.Store(Base, "parent"u8);
        int c = (int)p.Fork();
        var child = k.FindProcess(c)!;
        k.Validate();
        child.Store(Base, "child!"u8);
        var buf = new byte[6];
        p.Load(Base, buf);
        Assert.Equal("parent", Encoding.ASCII.GetString(buf));
        child.Load(Base, buf);
        Assert.Equal("child!", Encoding.ASCII.GetString(buf));
        k.Validate();
        Assert.Equal(0, child.ExitGroup(0));
        k.Validate();
        Assert.Null(k.FindProcess(c));
        _ = freeBefore;
    }

    [Fact]
    public void MemfdIsSharedBetweenMappingsAndSigbusPastEof()
    {
        var k = new Kernel();
        var p = k.Init;
        int fd = (int)p.MemfdCreate("heap", 0);
        Assert.Equal(0, p.Ftruncate(fd, 8192));
        long a = p.Mmap(0, 8192, Rw, Map.MAP_SHARED, fd, 0);
        long b = p.Mmap(0, 8192, Rw, Map.MAP_SHARED, fd, 0);
        Assert.True(a > 0 && b > 0 && a != b);
        p.Store((ulong)a + 4096, "shared"u8);
        var buf = new byte[6];
        Assert.False(p.Load((ulong)b + 4096, buf).Faulted);
        Assert.Equal("shared", Encoding.ASCII.GetString(buf));
        k.Validate();
        Assert.Equal(0, p.Ftruncate(fd, 4096));
        var r = p.Load((ulong)b + 4096, buf);
        Assert.Equal(Signal.SIGBUS, r.Signal);
        k.Validate();
        Assert.Contains("/memfd:heap (deleted)", p.ProcMaps());
    }

    [Fact]
    public void ConsecutiveAnonymousMmapsMergeTopDown()
    {
        var k = new Kernel();
        var p = k.Init;
        long a = p.Mmap(0, 4096, Rw, PrivAnon, -1, 0);
        long b = p.Mmap(0, 4096, Rw, PrivAnon, -1, 0);
        Assert.Equal(a - 4096, b);
        Assert.Equal(1, p.VmaCount((ulong)b, (ulong)a + 4096));
        Assert.Equal((long)Process.InitialMmapBase - 4096, a);
        k.Validate();
    }

    [Fact]
    public void KillSignalsOnePidOrTheWholeGroup()
    {
        var k = new Kernel();
        var p = k.Init;
        int c1 = (int)p.Fork();
        int c2 = (int)p.Fork();
        Assert.Equal(-(long)Errno.ESRCH, p.Kill(-12345, 0));
        Assert.Equal(-(long)Errno.ESRCH, p.Kill(999, Signal.SIGTERM));
        Assert.Equal(0, p.Kill(c1, Signal.SIGCHLD));
        Assert.NotNull(k.FindProcess(c1));
        Assert.Equal(0, p.Kill(-1, Signal.SIGTERM));
        Assert.Null(k.FindProcess(c1));
        Assert.Null(k.FindProcess(c2));
        Assert.True(p.IsAlive);
        Assert.Equal(0, p.Kill(0, Signal.SIGKILL));
        Assert.False(p.IsAlive);
        Assert.Equal(Signal.SIGKILL, p.KilledBySignal);
        k.Validate();
    }
}
