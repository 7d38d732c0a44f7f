using MmSim.Abi;

namespace MmSim.Tests.Model;

/// <summary>Tasks and thread groups in the library: clone, exit, exit_group, kill by tid, /proc after the leader.</summary>
public class ThreadTests
{
    private const ulong Base = 0x100000000000;

    [Fact]
    public void ThreadsShareTheProcessAndHaveTheirOwnIds()
    {
        var k = new Kernel();
        var p = k.Init;
        long tid = p.Leader.Clone();
        Assert.True(tid > p.Pid);
        var t = k.FindTask((int)tid)!;
        Assert.Same(p, t.Process);
        Assert.False(t.IsLeader);
        Assert.Equal(tid, t.Gettid());
        Assert.Equal([p.Leader, t], p.Tasks);
        Assert.Contains("Threads:\t2\n", p.ProcStatus());
        k.Validate();
    }

    [Fact]
    public void TheLastTaskToExitEndsTheProcessWithItsStatus()
    {
        var k = new Kernel();
        var p = k.Init;
        var t = k.FindTask((int)p.Leader.Clone())!;
        Assert.Equal(0, p.Leader.Exit(1));
        Assert.True(p.IsAlive);
        Assert.False(p.Leader.IsAlive);
        // The leader is a zombie: /proc/PID shows no mm, though the memory is the thread's still.
        Assert.Equal("", p.ProcMaps());
        Assert.Null(p.ProcSmapsRollup());
        Assert.Contains("State:\tZ (zombie)\n", p.ProcStatus());
        Assert.DoesNotContain("VmRSS", p.ProcStatus());
        Assert.Contains("Threads:\t2\n", p.ProcStatus());
        Assert.Same(p.Leader, k.FindTask(p.Pid));
        Assert.Equal(0, t.Exit(7));
        Assert.False(p.IsAlive);
        Assert.Equal(7, p.ExitCode);
        Assert.Null(k.FindTask(t.Tid));
        Assert.Null(k.FindTask(p.Pid));
        k.Validate();
    }

    [Fact]
    public void ExitGroupAndKillByTidEndEveryTask()
    {
        var k = new Kernel();
        var parent = k.Init;
        var child = k.FindProcess((int)parent.Fork())!;
        var ct = k.FindTask((int)child.Leader.Clone())!;
        Assert.Equal(0, parent.Kill(ct.Tid, Signal.SIGKILL));
        Assert.False(child.IsAlive);
        Assert.False(ct.IsAlive);
        Assert.Equal(Signal.SIGKILL, child.KilledBySignal);
        Assert.Equal(-(long)Errno.ESRCH, parent.Kill(ct.Tid, 0));

        var t = k.FindTask((int)parent.Leader.Clone())!;
        var t2 = k.FindTask((int)t.Clone())!;
        Assert.Equal(0, parent.ExitGroup(3));
        Assert.False(t.IsAlive || t2.IsAlive);
        Assert.Empty(k.Processes);
        k.Validate();
    }

    [Fact]
    public void AnExitedThreadIsReleasedAtOnce()
    {
        var k = new Kernel();
        var p = k.Init;
        var t = k.FindTask((int)p.Leader.Clone())!;
        Assert.Equal(0, t.Exit(0));
        Assert.Null(k.FindTask(t.Tid));
        Assert.Equal(-(long)Errno.ESRCH, p.Kill(t.Tid, 0));
        Assert.Equal(-(long)Errno.ESRCH, t.Gettid());
        Assert.Equal(-(long)Errno.ESRCH, t.Exit(0));
        Assert.Equal([p.Leader], p.Tasks);
        Assert.True(p.Mmap(Base, 4096, Prot.PROT_READ, Map.MAP_PRIVATE | Map.MAP_ANONYMOUS | Map.MAP_FIXED_NOREPLACE, -1, 0) > 0);
        k.Validate();
    }
}
