using System.Globalization;
using System.Text;
using MmSim.Abi;
using MmSim.Host;
using MmSim.Scenario;

namespace MmSim.Tests.Host;

/// <summary>The host target's calls on this machine's kernel: real accesses, signals, forks and process ends.</summary>
[Collection(HostKernelCollection.Name)]
public sealed class HostTargetTests
{
    private const ulong A = HostTarget.WindowStart;
    private const int Rw = Prot.PROT_READ | Prot.PROT_WRITE;
    private const int AnonFixed = Map.MAP_PRIVATE | Map.MAP_ANONYMOUS | Map.MAP_FIXED_NOREPLACE;

    [HostFact]
    public void Mmap_returns_the_fixed_address_and_refuses_to_replace_it()
    {
        using var host = new HostTarget();
        Assert.Equal((long)A, host.Main.Mmap(A, 8192, Rw, AnonFixed, -1, 0));
        Assert.Equal(-(long)Errno.EEXIST, host.Main.Mmap(A + 4096, 4096, Rw, AnonFixed, -1, 0));
        Assert.Equal(1, host.Main.VmaCount(A, A + 8192));
        Assert.Null(host.Main.ProcSmapsEntry(A + 8192));
        Assert.StartsWith("100000000000-100000002000 rw-p ", host.Main.ProcSmapsEntry(A + 4096));
    }

    [HostFact]
    public void A_store_to_read_only_memory_is_SIGSEGV_with_SEGV_ACCERR_at_the_first_byte_it_cannot_write()
    {
        using var host = new HostTarget();
        var main = host.Main;
        main.Mmap(A, 8192, Rw, AnonFixed, -1, 0);
        Assert.Equal(0, main.Mprotect(A + 4096, 4096, Prot.PROT_READ));

        Assert.Equal(AccessResult.Segv(Signal.SEGV_ACCERR, A + 4096 + 123), main.Store(A + 4096 + 123, "x"u8));
        // A store that starts on the writable page stores up to the boundary, then faults at the boundary.
        Assert.Equal(AccessResult.Segv(Signal.SEGV_ACCERR, A + 4096), main.Store(A + 4094, "abcd"u8));
        var head = new byte[2];
        Assert.Equal(AccessResult.Ok, main.Load(A + 4094, head));
        Assert.Equal("ab"u8.ToArray(), head);

        Assert.Equal(AccessResult.Segv(Signal.SEGV_MAPERR, A + 8192), main.Touch(A + 8192, 1, Access.Read));
        Assert.True(main.IsAlive);
    }

    [HostFact]
    public void An_access_past_the_end_of_a_memfd_is_SIGBUS_and_the_first_memfd_is_fd_3()
    {
        using var host = new HostTarget();
        var main = host.Main;
        Assert.Equal(3, main.MemfdCreate("m", 0));
        Assert.Equal(0, main.Ftruncate(3, 4096));
        Assert.Equal((long)A, main.Mmap(A, 8192, Rw, Map.MAP_SHARED | Map.MAP_FIXED_NOREPLACE, 3, 0));
        Assert.Equal(AccessResult.Ok, main.Fill(A, 4096, 0x5a));
        var into = new byte[1];
        Assert.Equal(AccessResult.Bus(Signal.BUS_ADRERR, A + 4096 + 5), main.Load(A + 4096 + 5, into));
        Assert.Contains("/memfd:m (deleted)", main.ProcMaps());
    }

    [HostFact]
    public void A_fork_child_stores_into_its_own_copy_of_private_memory()
    {
        using var host = new HostTarget();
        var main = host.Main;
        main.Mmap(A, 4096, Rw, AnonFixed, -1, 0);
        Assert.Equal(AccessResult.Ok, main.Store(A, "parent"u8));

        var pid = main.Fork();
        Assert.True(pid > 0);
        var child = Assert.IsAssignableFrom<IScenarioProcess>(host.FindProcess((int)pid));
        Assert.Equal(pid, child.Getpid());
        Assert.Equal([host.Main, child], host.Processes);

        Assert.Equal("parent", Load(child, A, 6));
        Assert.Equal(AccessResult.Ok, child.Store(A, "child!"u8));
        Assert.Equal("parent", Load(main, A, 6));
        Assert.Equal("child!", Load(child, A, 6));
    }

    [HostFact]
    public void Exit_group_ends_the_process_with_its_code_and_it_is_reaped_at_once()
    {
        using var host = new HostTarget();
        var child = host.FindProcess((int)host.Main.Fork())!;
        Assert.Equal(0, child.ExitGroup(7 + 256));
        Assert.False(child.IsAlive);
        Assert.Equal(7, child.ExitCode);
        Assert.Equal(0, child.KilledBySignal);
        Assert.Equal(-(long)Errno.ESRCH, host.Main.Kill(child.Pid, 0));
        Assert.True(host.Main.IsAlive);
    }

    [HostFact]
    public void Kill_reports_the_signal_it_sent_by_pid_or_by_group()
    {
        using var host = new HostTarget();
        var main = host.Main;
        var first = host.FindProcess((int)main.Fork())!;
        Assert.Equal(0, main.Kill(first.Pid, Signal.SIGTERM));
        Assert.False(first.IsAlive);
        Assert.Equal(Signal.SIGTERM, first.KilledBySignal);
        // Caught, in the runner, only when the kernel raises it: a sent SIGSEGV ends the process.
        var second = host.FindProcess((int)main.Fork())!;
        Assert.Equal(0, main.Kill(second.Pid, Signal.SIGSEGV));
        Assert.Equal(Signal.SIGSEGV, second.KilledBySignal);
        // Ignored by default: nothing happens.
        var third = host.FindProcess((int)main.Fork())!;
        Assert.Equal(0, main.Kill(third.Pid, Signal.SIGWINCH));
        Assert.True(third.IsAlive);
        // The whole group, the caller included.
        Assert.Equal(0, third.Kill(0, Signal.SIGUSR1));
        Assert.False(main.IsAlive);
        Assert.False(third.IsAlive);
        Assert.Equal(Signal.SIGUSR1, main.KilledBySignal);
        Assert.Equal(Signal.SIGUSR1, third.KilledBySignal);
    }

    [HostFact]
    public void A_process_killed_from_outside_the_scenario_reports_SIGKILL()
    {
        using var host = new HostTarget();
        var child = host.FindProcess((int)host.Main.Fork())!;
        Assert.Equal(0, Libc.Kill(child.Pid, Signal.SIGKILL));
        Assert.True(SpinWait.SpinUntil(() => !child.IsAlive, TimeSpan.FromSeconds(5)));
        Assert.Equal(Signal.SIGKILL, child.KilledBySignal);
        Assert.Equal(AccessResult.Killed, child.Touch(A, 1, Access.Read));
    }

    [HostFact]
    public void Kill_of_every_process_is_refused()
    {
        using var host = new HostTarget();
        var e = Assert.Throws<ScenarioRuntimeException>(() => host.Main.Kill(-1, Signal.SIGKILL));
        Assert.Contains("kill(-1", e.Message, StringComparison.Ordinal);
    }

    [HostFact]
    public void Mincore_writes_its_vector_into_the_process()
    {
        using var host = new HostTarget();
        var main = host.Main;
        main.Mmap(A, 3 * 4096, Rw, AnonFixed, -1, 0);
        main.Touch(A, 1, Access.Write);
        Assert.Equal(0, main.Mincore(A, 2 * 4096, A + 2 * 4096));
        Assert.Equal("\x01\0", Load(main, A + 2 * 4096, 2));
        Assert.Equal(-(long)Errno.EFAULT, main.Mincore(A, 4096, 0x1000));
    }

    [HostFact]
    public void The_first_process_starts_with_the_models_limits_unprivileged()
    {
        using var host = new HostTarget();
        var main = host.Main;
        Assert.Equal(0, main.Getrlimit(Rlimit.RLIMIT_STACK, out var stack));
        Assert.Equal(new RLimit(8UL << 20, Rlimit.RLIM_INFINITY), stack);
        Assert.Equal(0, main.Prlimit64(0, Rlimit.RLIMIT_MEMLOCK, new RLimit(4096, 4096), out var memlock));
        Assert.Equal(new RLimit(8UL << 20, 8UL << 20), memlock);
        Assert.Equal(0, main.Getrlimit(Rlimit.RLIMIT_MEMLOCK, out memlock));
        Assert.Equal(new RLimit(4096, 4096), memlock);
        // No CAP_SYS_RESOURCE: the hard limit cannot be raised again.
        Assert.Equal(-(long)Errno.EPERM, main.Setrlimit(Rlimit.RLIMIT_MEMLOCK, new RLimit(8192, 8192)));
        var status = main.ProcStatus();
        Assert.Contains("CapEff:\t0000000000000000\n", status);
        if (HostAvailability.PrivilegedSkipReason is null)
            Assert.Contains("CapPrm:\t00000000000a4000\n", status);
        Assert.Equal(main.Pid, main.Getpid());
        Assert.Equal(main.Pid, host.SessionId);
    }

    [HostFact]
    public void A_statement_that_hangs_times_out_and_leaves_no_process_behind()
    {
        var host = new HostTarget(new HostTargetOptions { Timeout = TimeSpan.FromSeconds(1) });
        var session = host.SessionId;
        var directory = host.SocketDirectory;
        try
        {
            // A stopped process never answers; its parent and a sibling stay alive for Dispose to end.
            var script = ScenarioParser.Parse("fork() = $c\nfork() = $d\n[pid $c] kill($c, SIGSTOP) = 0\n", "hang.mms");
            var result = new ScenarioRunner(TextWriter.Null).Run(script, host);
            Assert.Equal(ScenarioFailureKind.RuntimeError, result.Failure?.Kind);
            Assert.Contains("timed out after 1 s", result.Failure!.Message, StringComparison.Ordinal);
            // The stopped process was killed when it timed out; $main and $d remain for Dispose.
            Assert.False(host.Processes[1].IsAlive);
            Assert.Equal(Signal.SIGKILL, host.Processes[1].KilledBySignal);
            Assert.Equal(2, SessionProcesses(session).Count);
        }
        finally
        {
            host.Dispose();
        }
        Assert.True(SpinWait.SpinUntil(() => SessionProcesses(session).Count == 0, TimeSpan.FromSeconds(5)),
            $"left behind: {string.Join(", ", SessionProcesses(session))}");
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public void Without_a_C_compiler_the_host_is_unavailable()
    {
        var e = Assert.Throws<HostUnavailableException>(() =>
            new HostTarget(new HostTargetOptions { Compiler = "/nonexistent/cc" }));
        Assert.NotEmpty(e.Message);
    }

    private static string Load(IScenarioProcess process, ulong addr, int length)
    {
        var bytes = new byte[length];
        Assert.Equal(AccessResult.Ok, process.Load(addr, bytes));
        return Encoding.Latin1.GetString(bytes);
    }

    /// <summary>The processes (zombies included) whose session is <paramref name="session"/>.</summary>
    private static List<int> SessionProcesses(int session)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            // "pid (comm) state ppid pgrp session ..."
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(fields[3], CultureInfo.InvariantCulture) == session)
                found.Add(pid);
        }
        return found;
    }
}
