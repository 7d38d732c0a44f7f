using System.Diagnostics;

namespace MmSim.Tests.Host;

/// <summary>An interrupted <c>mmsim diff</c> leaves nothing behind on the machine: no process, no directory.</summary>
[Collection(HostKernelCollection.Name)]
public sealed class InterruptTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("mmsim-interrupt-").FullName;

    // The runner drops to nobody, who must reach the socket below this TMPDIR.
    public InterruptTests()
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_tmp, (UnixFileMode)0b111_101_101);
    }

    public void Dispose() => Directory.Delete(_tmp, recursive: true);

    [HostTheory]
    [InlineData("SIGINT", 2)]
    [InlineData("SIGTERM", 15)]
    public void Interrupting_diff_kills_the_scenario_processes_stopped_ones_too_and_removes_the_socket_directory(string signal, int signo)
    {
        // The child stops itself: on the kernel its statement never returns, so diff waits (up to its timeout).
        var scenario = Path.Combine(_tmp, "stop.mms");
        File.WriteAllText(scenario, "fork() = $c\n[pid $c] kill($c, SIGSTOP) = 0\n");
        var mmsim = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["TMPDIR"] = _tmp },
        };
        mmsim.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mmsim.dll"));
        mmsim.ArgumentList.Add("diff");
        mmsim.ArgumentList.Add(scenario);
        using var process = System.Diagnostics.Process.Start(mmsim)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();

        // Wait until the child has stopped (state T), with the runner's socket under our TMPDIR.
        var clock = Stopwatch.StartNew();
        while (!RunnerProcesses().Any(p => p.State == 'T'))
        {
            // (The messages read the output only on failure: .Result waits for mmsim to end.)
            if (clock.Elapsed > TimeSpan.FromSeconds(60) || process.HasExited)
                Assert.Fail($"the scenario did not stop: {stdout.Result}{stderr.Result}");
            Thread.Sleep(50);
        }
        Assert.Equal(0, Kill(process.Id, signo));
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));

        Assert.True(128 + signo == process.ExitCode, $"exit {process.ExitCode}: {stdout.Result}{stderr.Result}");
        Assert.Equal($"mmsim: interrupted by {signal}\n", stderr.Result);
        Assert.DoesNotContain("@@", stdout.Result);
        Assert.Empty(RunnerProcesses());
        Assert.Empty(Directory.EnumerateDirectories(_tmp, "mmsim-host-*"));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int sig);

    // Scenario processes of this test: their command line names the socket in this test's TMPDIR.
    private List<(int Pid, char State)> RunnerProcesses()
    {
        var found = new List<(int, char)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (!cmdline.Contains(_tmp, StringComparison.Ordinal) || cmdline.Contains("mmsim.dll", StringComparison.Ordinal))
                    continue;
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var state = stat[stat.LastIndexOf(')') + 2];
                if (state is not ('Z' or 'X'))
                    found.Add((pid, state));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // gone meanwhile
            }
        }
        return found;
    }
}
