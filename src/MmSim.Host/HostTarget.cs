using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using MmSim.Abi;
using MmSim.Scenario;

namespace MmSim.Host;

/// <summary>
/// Runs scenarios on this machine's Linux kernel: <c>new ScenarioRunner(...).Run(script, new HostTarget())</c>.
/// </summary>
/// <remarks>
/// <para>
/// Every scenario process is a real process running a small C runner (native/mmsim-host.c, embedded in this
/// assembly and compiled with the machine's <c>cc</c> on first use, then cached by the hash of its source).
/// Each statement is one request over the process's own Unix-socket connection: syscalls are issued as the raw
/// syscall and return <c>-errno</c> on failure, as the model does; store/load/touch are CPU accesses in that
/// process, and SIGSEGV/SIGBUS come back with their real si_code and si_addr; fork() is a real fork, whose
/// child connects back before fork() returns; /proc files are the kernel's own.
/// </para>
/// <para>
/// The first process starts like the model's: no address-space randomization (it re-execs itself after
/// personality(ADDR_NO_RANDOMIZE), as <c>setarch -R</c> does), the model's starting limits (RLIMIT_STACK 8 MiB
/// soft / unlimited hard, RLIMIT_MEMLOCK 8 MiB, RLIMIT_AS and RLIMIT_DATA unlimited, RLIMIT_CORE 0,
/// RLIMIT_NOFILE 1024/4096), an empty environment, SIGCHLD ignored (exited children are reaped at once),
/// fds 0-2 on /dev/null (2 is the runner's diagnostics) and fds 3 and up free, so the first memfd is fd 3.
/// It leads its own session and process group, which <see cref="Dispose"/> kills whole. If it starts as root it
/// becomes uid/gid 65534 with no supplementary groups and no capabilities, since the model's processes are
/// unprivileged.
/// </para>
/// <para>
/// Address space: scenarios can use 0x100000000000–0x200000000000 (<see cref="WindowStart"/>,
/// <see cref="WindowEnd"/>) knowing it is free. The runner's own mappings (its ELF image and heap, libc, ld.so,
/// the stack, vvar/vdso) exist too and lie outside that range. The runner fills the holes among its mappings
/// below mmap_base and puts a guard page under them (PROT_NONE), so <c>mmap(NULL, ...)</c> places scenario
/// mappings below the runner's and they never merge with its anonymous memory; in the model nothing lies there.
/// The runner never maps memory or grows its stack while it serves, so counters in status() and
/// smaps_rollup() move only with the scenario's own calls.
/// </para>
/// <para>
/// Differences from the model that come from running on a real machine:
/// <list type="bullet">
/// <item>Fd 1000 is the runner's connection; a scenario that closes it ends that process.</item>
/// <item>A process whose connection closes without exit_group() was killed by a signal. It reports
/// <see cref="IScenarioProcess.KilledBySignal"/> as the last fatal signal a kill() in the scenario aimed at it, by
/// pid or by group; otherwise SIGKILL, as the OOM killer sends. kill() waits until the processes it ends are
/// gone, since the model ends them before kill() returns.</item>
/// <item>kill(-1, sig) is refused (a <see cref="ScenarioRuntimeException"/>): on a real machine it reaches every
/// process of the runner's user, not only the scenario's.</item>
/// <item>Stop signals really stop a process; its next statement then times out.</item>
/// <item>A statement that takes longer than <see cref="HostTargetOptions.Timeout"/> (10 s by default) is cut off
/// with a <see cref="ScenarioRuntimeException"/> ("timed out after 10 s"), and its process is killed.</item>
/// </list>
/// </para>
/// </remarks>
public sealed class HostTarget : IScenarioTarget
{
    /// <summary>The start of the address range scenarios can use with MAP_FIXED_NOREPLACE, free in every runner.</summary>
    public const ulong WindowStart = 0x100000000000;

    /// <summary>The end (exclusive) of the free scenario range.</summary>
    public const ulong WindowEnd = 0x200000000000;

    private const int Backlog = 16;

    private readonly List<IScenarioProcess> _processes = [];
    private readonly Dictionary<int, HostProcess> _byPid = [];
    private readonly StringBuilder _runnerErrors = new();
    private readonly string _directory;
    private readonly Socket _listener;
    private readonly System.Diagnostics.Process _runner;
    private int _disposed;

    // Every target not yet disposed, for DisposeAll() from a signal handler.
    private static readonly HashSet<HostTarget> s_live = [];

    // Statements run on their own threads, so that one can block in the kernel while others go on; the C# side's
    // tables are shared by them.
    private readonly object _sync = new();
    private readonly Dictionary<HostProcess, Task<Outcome>> _blocked = [];

    /// <summary>Builds the runner if needed and starts <c>$main</c>.</summary>
    /// <exception cref="HostUnavailableException">This machine cannot run scenarios on its kernel.</exception>
    public HostTarget(HostTargetOptions? options = null)
    {
        options ??= new HostTargetOptions();
        Timeout = options.Timeout;
        SettleTime = options.Settle;
        if (!IsAvailable(options, out var reason, out var compiler))
            throw new HostUnavailableException(reason);
        var binary = RunnerBuild.EnsureBuilt(compiler, options.CacheDirectory);

        // The runner drops to nobody and its fork children connect as nobody: the directory and socket are 0777.
        _directory = Directory.CreateTempSubdirectory("mmsim-host-").FullName;
        lock (s_live)
            s_live.Add(this);
        if (OperatingSystem.IsLinux())
            File.SetUnixFileMode(_directory, (UnixFileMode)0b111_111_111);
        var socketPath = Path.Combine(_directory, "s");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _runner = new System.Diagnostics.Process();
        try
        {
            _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            if (OperatingSystem.IsLinux())
                File.SetUnixFileMode(socketPath, (UnixFileMode)0b111_111_111);
            _listener.Listen(Backlog);
            Main = Start(binary, socketPath);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>How long one statement may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>How long a call runs before the target looks whether it is blocked (<see cref="HostTargetOptions.Settle"/>).</summary>
    public TimeSpan SettleTime { get; }

    /// <summary>
    /// Makes the call on a thread of its own and waits: for its return, or, after <see cref="SettleTime"/>, until its
    /// task is found asleep in the kernel (state S, or D for a caller waiting for a userfaultfd event to be read),
    /// which makes it blocked. A call that keeps running is waited for;
    /// its own deadline ends it.
    /// </summary>
    public Outcome Invoke(CallSpec call, CallFrame frame)
    {
        // Calls this side makes itself (as root), not the scenario's task: they cannot block, and the task, idle meanwhile,
        // must not be taken for blocked in them.
        if (call.Name is "swapon_file" or "sysctl" or "swapinfo" or "pageflags")
            return call.Invoke(frame);
        var task = (HostProcess)frame.Process;
        var work = Task.Factory.StartNew(() => call.Invoke(frame), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (Done(work, SettleTime))
            return work.GetAwaiter().GetResult();
        while (!Done(work, TimeSpan.FromMilliseconds(10)))
        {
            if (task.KernelState() is 'S' or 'D' && !Done(work, TimeSpan.FromMilliseconds(5)))
            {
                lock (_sync)
                    _blocked[task] = work;
                return new Outcome.Blocked(0);
            }
        }
        return work.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Lets the tasks the last statement woke finish what they blocked in: each blocked call is waited for until it
    /// returns or its task sleeps again, at most <see cref="SettleTime"/>.
    /// </summary>
    public void Settle()
    {
        List<(HostProcess Task, Task<Outcome> Work)> blocked;
        lock (_sync)
            blocked = [.. _blocked.Select(b => (b.Key, b.Value))];
        foreach (var (task, work) in blocked)
        {
            var deadline = new Deadline(SettleTime);
            // A woken task is runnable (R) until it has run; asleep again (S), it has blocked anew or answered.
            while (!work.IsCompleted && !deadline.Passed && task.KernelState() is not ('S' or 'D' or '\0'))
                Done(work, TimeSpan.FromMilliseconds(1));
            Done(work, TimeSpan.FromMilliseconds(5));
        }
    }

    public bool IsBlocked(IScenarioProcess task)
    {
        lock (_sync)
            return _blocked.TryGetValue((HostProcess)task, out var work) && !work.IsCompleted;
    }

    /// <summary>Whether the call has ended within <paramref name="timeout"/>, by returning or by throwing (rethrown by GetResult()).</summary>
    private static bool Done(Task<Outcome> work, TimeSpan timeout)
    {
        try
        {
            return work.Wait(timeout);
        }
        catch (AggregateException)
        {
            return true;
        }
    }

    /// <summary>The outcome of the call the task blocked in, waiting for it up to the statement timeout.</summary>
    public Outcome? Resume(IScenarioProcess task)
    {
        Task<Outcome>? work;
        lock (_sync)
            _blocked.TryGetValue((HostProcess)task, out work);
        if (work is null || !Done(work, Timeout))
            return null;
        lock (_sync)
            _blocked.Remove((HostProcess)task);
        return work.GetAwaiter().GetResult();
    }

    public IScenarioProcess Main { get; } = null!;

    /// <summary>The directory holding the listening socket; removed by <see cref="Dispose"/>.</summary>
    internal string SocketDirectory => _directory;

    /// <summary>The session and process group of every scenario process: <c>$main</c>'s pid.</summary>
    public int SessionId => Main.Pid;

    public IReadOnlyList<IScenarioProcess> Processes
    {
        get
        {
            lock (_sync)
                return [.. _processes];
        }
    }

    /// <summary>Whether this machine can run scenarios on its kernel, and if not, why. It does not build the runner.</summary>
    public static bool IsAvailable(out string reason) => IsAvailable(new HostTargetOptions(), out reason, out _);

    public IScenarioProcess? FindProcess(int pid)
    {
        lock (_sync)
            return _byPid.GetValueOrDefault(pid);
    }

    /// <summary>
    /// /proc/meminfo, settled so that Mlocked and Unevictable are exact, not lagging: every CPU's LRU and mlock
    /// folio batches are drained (an mbind(MPOL_MF_MOVE) in a live scenario process runs lru_add_drain_all()), then
    /// the per-CPU vmstat deltas are folded in (writing /proc/sys/vm/stat_refresh, which needs root; without it
    /// the counters may lag by up to 28 pages per CPU). The figures are still the whole machine's.
    /// </summary>
    public string ProcMeminfo()
    {
        if (Processes.OfType<HostProcess>().FirstOrDefault(p => p.IsAlive && !IsBlocked(p)) is { } process)
            process.DrainLruBatches();
        try
        {
            File.WriteAllText("/proc/sys/vm/stat_refresh", "1");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // not root: the counters are read as they are
        }
        return File.ReadAllText("/proc/meminfo");
    }

    public string ProcVmstat() => File.ReadAllText("/proc/vmstat");

    /// <summary>A real kernel has no invariants to check from here.</summary>
    public void Validate()
    {
    }

    /// <summary>
    /// Disposes every target of this process not disposed yet. For a SIGINT or SIGTERM handler: an interrupted run
    /// then leaves no scenario process (stopped ones included) and no socket directory behind. It may run on
    /// another thread while the target is in use; the statement in progress then fails, as its process is gone.
    /// </summary>
    public static void DisposeAll()
    {
        HostTarget[] live;
        lock (s_live)
            live = [.. s_live];
        foreach (var target in live)
        {
            try
            {
                target.Dispose();
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or SocketException or ObjectDisposedException)
            {
                // The thread that used it changed it meanwhile; the processes were killed first.
            }
        }
    }

    // Swap files this target turned on, and sysctls it changed with their old values: undone by Dispose().
    private readonly List<string> _swapFiles = [];
    private readonly List<(string Path, string Old)> _sysctls = [];

    /// <summary>
    /// Makes a swap file of <paramref name="bytes"/> in the target's directory (written out, without holes, with the
    /// header mkswap writes) and turns it on. Needs root (CAP_SYS_ADMIN): -EPERM otherwise, as swapon(2) gives.
    /// Dispose() turns it off and removes it.
    /// </summary>
    public long Swapon(ulong bytes)
    {
        const int page = 4096;
        ulong pages = bytes / page;
        if (Libc.Geteuid() != 0)
            return -(long)Errno.EPERM;
        if (pages < 10 || pages > uint.MaxValue)
            return -(long)Errno.EINVAL;
        if (_swapBaseline is null)
        {
            // Settled (stat_refresh), or a previous scenario's swap cache may still show in the per-CPU counters.
            _swapBaseline = ProcText.SwapFields(ProcMeminfo());
        }
        string path = Path.Combine(_directory, $"swap{_swapFiles.Count}");
        SwapFile.Write(path, pages * 4096);
        if (Libc.Swapon(path, 0) != 0)
        {
            long err = -Marshal.GetLastPInvokeError();
            File.Delete(path);
            return err;
        }
        lock (_sync)
            _swapFiles.Add(path);
        return 0;
    }

    // The machine's own swap when the target started: SwapInfo() shows what the scenario added.
    private (long Total, long Free, long Cached)? _swapBaseline;

    public (long Total, long Free, long Cached) SwapInfo()
    {
        var now = ProcText.SwapFields(ProcMeminfo());
        var b = _swapBaseline ??= (0, 0, 0);
        return (now.Item1 - b.Total, now.Item2 - b.Free, now.Item3 - b.Cached);
    }

    /// <summary>Writes /proc/sys/vm/page-cluster (the one sysctl scenarios may set); Dispose() puts the old value back. Needs root.</summary>
    public long Sysctl(string name, long value)
    {
        if (name != "vm.page-cluster")
            return -(long)Errno.ENOENT;
        if (value < 0 || value > 31)
            return -(long)Errno.EINVAL;
        string path = "/proc/sys/" + name.Replace('.', '/');
        try
        {
            string old = File.ReadAllText(path).Trim();
            File.WriteAllText(path, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            lock (_sync)
                _sysctls.Add((path, old));
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return -(long)Errno.EACCES;
        }
    }

    /// <summary>Turns off and removes the swap files, and restores the sysctls, newest first. Processes are gone by now.</summary>
    private void UndoMachineChanges()
    {
        lock (_sync)
        {
            for (int i = _swapFiles.Count - 1; i >= 0; i--)
            {
                // swapoff() reads every page still out back in; a signal may interrupt it (EINTR): try again.
                for (int attempt = 0; attempt < 5 && Libc.Swapoff(_swapFiles[i]) != 0
                    && Marshal.GetLastPInvokeError() is (int)Errno.EINTR or (int)Errno.EBUSY or (int)Errno.ENOMEM; attempt++)
                    Thread.Sleep(100);
                try
                {
                    File.Delete(_swapFiles[i]);
                }
                catch (IOException)
                {
                    // Directory.Delete below tries again.
                }
            }
            _swapFiles.Clear();
            for (int i = _sysctls.Count - 1; i >= 0; i--)
            {
                try
                {
                    File.WriteAllText(_sysctls[i].Path, _sysctls[i].Old);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Best effort.
                }
            }
            _sysctls.Clear();
        }
    }

    /// <summary>Kills every scenario process (the whole process group) and removes the socket's directory.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        lock (s_live)
            s_live.Remove(this);
        // SIGKILL ends stopped processes too; the group reaches those the C# side has not adopted yet.
        if (Main is not null)
            Libc.Kill(-Main.Pid, Signal.SIGKILL);
        var pids = _byPid.Keys.ToList();
        foreach (var pid in pids)
            Libc.Kill(pid, Signal.SIGKILL);
        try
        {
            if (!_runner.HasExited)
                _runner.Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        var deadline = new Deadline(TimeSpan.FromSeconds(5));
        foreach (var pid in pids)
        {
            try
            {
                WaitReleased(pid, deadline);
            }
            catch (RunnerTimeoutException)
            {
                break;
            }
        }
        try
        {
            foreach (var process in _byPid.Values)
                process.Dispose();
        }
        finally
        {
            UndoMachineChanges();
        }
        _listener.Dispose();
        _runner.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: it lives in the temp dir.
        }
    }

    /// <summary>Accepts connections until the forked child or new thread <paramref name="tid"/> has said hello, and adopts it.</summary>
    internal void AcceptChild(int tid, Deadline deadline)
    {
        while (FindProcess(tid) is null)
            AcceptOne(deadline);
    }

    /// <summary>
    /// The live scenario tasks a kill(pid, ...) reaches: every task of the process that has a task with that id,
    /// or, for the whole group (all share $main's process group), every task.
    /// </summary>
    internal List<HostProcess> SignalTargets(int pid)
    {
        lock (_sync)
            return SignalTargetsLocked(pid);
    }

    private List<HostProcess> SignalTargetsLocked(int pid)
    {
        if (pid > 0)
        {
            return _byPid.TryGetValue(pid, out var one)
                ? _byPid.Values.Where(t => t.Group == one.Group && t.IsAlive).ToList()
                : [];
        }
        if (pid == 0 || pid == -Main.Pid)
            return _byPid.Values.Where(p => p.IsAlive).ToList();
        return [];
    }

    /// <summary>The tasks of a thread group that the C# side knows.</summary>
    internal List<HostProcess> TasksOf(HostThreadGroup group)
    {
        lock (_sync)
            return [.. _byPid.Values.Where(t => t.Group == group)];
    }

    /// <summary>
    /// Waits until the kernel has released <paramref name="pid"/>: /proc/PID is gone, or it is a zombie (the first
    /// process is the .NET side's child and becomes one until .NET reaps it).
    /// </summary>
    internal void WaitReleased(int pid, Deadline deadline)
    {
        var stat = $"/proc/{pid}/stat";
        while (true)
        {
            string text;
            try
            {
                text = File.ReadAllText(stat);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
            {
                return;
            }
            // "pid (comm) S ...": the state follows the last ')'.
            var close = text.LastIndexOf(')');
            if (close < 0 || close + 2 >= text.Length || text[close + 2] is 'Z' or 'X')
                return;
            if (deadline.Passed)
                throw new RunnerTimeoutException();
            Thread.Sleep(1);
        }
    }

    private static bool IsAvailable(HostTargetOptions options, out string reason, out string compiler)
    {
        compiler = "";
        if (!OperatingSystem.IsLinux())
        {
            reason = $"the host kernel target needs Linux; this is {RuntimeInformation.OSDescription}";
            return false;
        }
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            reason = $"the host kernel target needs x86-64; this machine is {RuntimeInformation.ProcessArchitecture}";
            return false;
        }
        if (RunnerBuild.FindCompiler(options.Compiler) is not { } found)
        {
            reason = $"no C compiler found ({options.Compiler ?? "cc"} in PATH) to build the host runner; install one (e.g. gcc) or set CC";
            return false;
        }
        compiler = found;
        reason = "";
        return true;
    }

    private HostProcess Start(string binary, string socketPath)
    {
        _runner.StartInfo = new System.Diagnostics.ProcessStartInfo(binary)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardError = true,
        };
        _runner.StartInfo.ArgumentList.Add(socketPath);
        _runner.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_runnerErrors)
                    _runnerErrors.AppendLine(e.Data);
            }
        };
        try
        {
            _runner.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new HostUnavailableException($"the host runner {binary} could not be started: {e.Message}");
        }
        _runner.BeginErrorReadLine();

        var deadline = new Deadline(Timeout);
        try
        {
            AcceptOne(deadline, _runner);
        }
        catch (Exception e) when (e is RunnerTimeoutException or RunnerGoneException or InvalidDataException)
        {
            throw new HostUnavailableException(StartFailure());
        }
        return _byPid.Values.Single();
    }

    private string StartFailure()
    {
        string errors;
        _runner.WaitForExit(TimeSpan.FromMilliseconds(500));
        lock (_runnerErrors)
            errors = _runnerErrors.ToString().Trim();
        var status = _runner.HasExited
            ? string.Create(CultureInfo.InvariantCulture, $"it exited with status {_runner.ExitCode}")
            : $"it did not connect within {Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
        return errors.Length > 0
            ? $"the host runner did not start ({status}): {errors}"
            : $"the host runner did not start ({status})";
    }

    private void AcceptOne(Deadline deadline, System.Diagnostics.Process? starting = null)
    {
        // Poll in short steps while the first runner starts, to notice at once if it dies instead of connecting.
        while (!_listener.Poll(starting is null ? deadline.Remaining : TimeSpan.FromMilliseconds(20), SelectMode.SelectRead))
        {
            if (deadline.Passed || starting is { HasExited: true })
                throw new RunnerTimeoutException();
        }
        var connection = new RunnerConnection(_listener.Accept());
        int pid, tid;
        try
        {
            (pid, tid) = connection.ReceiveHello(deadline);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        // A thread joins its process's group; a process's first task starts one.
        lock (_sync)
        {
            var group = pid != tid && _processes.OfType<HostProcess>().LastOrDefault(t => t.Group.Pid == pid && !t.Group.Ended) is { } sibling
                ? sibling.Group
                : new HostThreadGroup(pid);
            var process = new HostProcess(this, group, tid, connection);
            _byPid[tid] = process;
            _processes.Add(process);
        }
    }
}
