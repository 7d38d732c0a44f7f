using MmSim.Cli;
using MmSim.Scenario;
using MmSim.Tests.Scenario;

namespace MmSim.Tests.Cli;

/// <summary>The verbs, invoked in-process on <see cref="FakeTarget"/> with their output captured.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mmsim-cli-").FullName;
    private readonly StringWriter _out = new() { NewLine = "\n" };
    private readonly StringWriter _err = new() { NewLine = "\n" };

    private const string Passing = """
        # maps a page and reads it back
        mmap(0x100000000000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
        store($a, "hi") = 0
        load($a, 2) = "hi"
        """;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private ExitCode Mmsim(params string[] args) =>
        (ExitCode)MmSimCli.Run(args, new CliContext(_out, _err, () => new FakeTarget(), () => new FakeTarget()));

    [Fact]
    public void Run_passing_file_echoes_every_statement()
    {
        var file = Write("pass.mms", Passing);
        Assert.Equal(ExitCode.Passed, Mmsim("run", file));
        Assert.Equal(
            """
            mmap(0x100000000000, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x100000000000
            store(0x100000000000, "hi") = 0
            load(0x100000000000, 2) = "hi"

            """, _out.ToString());
        Assert.Equal("", _err.ToString());
    }

    [Fact]
    public void Run_kernel_runs_on_the_kernel_target_and_says_when_there_is_none()
    {
        var file = Write("pass.mms", Passing);
        int kernels = 0;
        var context = new CliContext(_out, _err, () => throw new InvalidOperationException("the model was used"),
            () => { kernels++; return new FakeTarget(); });
        Assert.Equal(ExitCode.Passed, (ExitCode)MmSimCli.Run(["run", "--kernel", file], context));
        Assert.Equal(1, kernels);
        Assert.Contains("load(0x100000000000, 2) = \"hi\"", _out.ToString());

        var none = new CliContext(_out, _err, () => new FakeTarget(), () => throw new HostUnavailable("no runner here"));
        Assert.Equal(ExitCode.BadInput, (ExitCode)MmSimCli.Run(["run", "--kernel", file], none));
        Assert.Contains("mmsim: the host kernel cannot run scenarios here: no runner here", _err.ToString());

        Assert.Equal(ExitCode.BadInput, Mmsim("run", "--kernel", "--validate", file));
        Assert.Contains("--validate checks the model's invariants", _err.ToString());
    }

    [Fact]
    public void Run_swap_turns_a_swap_file_on_before_the_scenario_and_reports_a_bad_size_or_a_refusal()
    {
        var file = Write("swap.mms", """
            mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
            store($a, 16K, 1)
            madvise($a, 16K, MADV_PAGEOUT) = 0
            smaps($a) = {Rss=0, Swap=16}
            swapinfo() = {SwapTotal=65532, SwapFree=65516}
            """);
        var model = new CliContext(_out, _err, () => new ModelTarget(), () => new ModelTarget());
        Assert.Equal(ExitCode.Passed, (ExitCode)MmSimCli.Run(["run", "--swap", "64M", file], model));
        // Without swap the pages stay.
        Assert.Equal(ExitCode.Failed, (ExitCode)MmSimCli.Run(["run", file], model));

        Assert.Equal(ExitCode.BadInput, (ExitCode)MmSimCli.Run(["run", "--swap", "12Q", file], model));
        Assert.Contains("--swap: expected a size of 40K or more, such as 64M, got '12Q'", _err.ToString());
        Assert.Equal(ExitCode.BadInput, (ExitCode)MmSimCli.Run(["run", "--swap", "8K", file], model));

        // A target that refuses (the kernel target without root) is reported, not a model bug.
        var refusing = new CliContext(_out, _err, () => new FakeTarget(), () => new FakeTarget());
        Assert.Equal(ExitCode.BadInput, (ExitCode)MmSimCli.Run(["run", "--swap", "64M", file], refusing));
        Assert.Contains("--swap: swapon of 67108864 bytes failed: ENOSYS", _err.ToString());
    }

    [Fact]
    public void Run_ram_sizes_the_model_so_that_a_scenario_meets_memory_pressure()
    {
        // 24 MiB written on a 16 MiB machine with 64 MiB of swap: kswapd and direct reclaim swap part of it out.
        var file = Write("pressure.mms", """
            mmap(0x100000000000, 24M, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_NORESERVE, -1, 0) = $a
            store($a, 24M, 0x42)
            load($a, 4) = "BBBB"
            status() = ?
            """);
        var model = new CliContext(_out, _err, () => new ModelTarget(), () => new ModelTarget());
        Assert.Equal(ExitCode.Passed, (ExitCode)MmSimCli.Run(["run", "--ram", "16M", "--swap", "64M", file], model));
        Assert.Matches(@"status\(\) = \{.*VmSwap=[1-9][0-9]{3,}", _out.ToString());
        Assert.Contains("MemTotal", new ModelTarget(new MmSim.KernelConfig { RamBytes = 16 << 20 }).Kernel.ProcMeminfo());
        // Without swap the OOM killer ends the process; with the default 4 GiB nothing is swapped.
        _out.GetStringBuilder().Clear();
        Assert.Equal(ExitCode.Failed, (ExitCode)MmSimCli.Run(["run", "--ram", "16M", file], model));
        Assert.Contains("SIGKILL", _out.ToString() + _err.ToString());
        _out.GetStringBuilder().Clear();
        Assert.Equal(ExitCode.Passed, (ExitCode)MmSimCli.Run(["run", "--swap", "64M", file], model));
        Assert.DoesNotMatch(@"VmSwap=[1-9]", _out.ToString());

        Assert.Equal(ExitCode.BadInput, (ExitCode)MmSimCli.Run(["run", "--ram", "lots", file], model));
        Assert.Contains("--ram: expected a size of 1M or more, such as 64M, got 'lots'", _err.ToString());
        Assert.Equal(ExitCode.BadInput, (ExitCode)MmSimCli.Run(["run", "--ram", "16M", "--kernel", file], model));
        Assert.Contains("--ram sizes the model's RAM; the kernel target has this machine's", _err.ToString());
    }

    [Fact]
    public void Run_failing_expectation_reports_file_line_expected_and_actual()
    {
        var file = Write("fail.mms", Passing + "\nload($a, 2) = \"ho\"\ngetpid()\n");
        Assert.Equal(ExitCode.Failed, Mmsim("run", file));
        Assert.Equal($"{file}:5: error: expected \"ho\", got \"hi\"\n    load($a, 2) = \"ho\"\n", _err.ToString());
        Assert.EndsWith("load(0x100000000000, 2) = \"hi\"\n", _out.ToString());
    }

    [Fact]
    public void Run_malformed_file_reports_line_and_column_and_runs_nothing()
    {
        var file = Write("bad.mms", "getpid()\nmunmap(0, 4K PROT_READ)\n");
        Assert.Equal(ExitCode.BadInput, Mmsim("run", file));
        Assert.Equal($"{file}:2:14: error: expected ',' or ')', found 'PROT_READ'\n", _err.ToString());
        Assert.Equal("", _out.ToString());
    }

    [Fact]
    public void Run_missing_file_is_bad_input()
    {
        var missing = Path.Combine(_dir, "nope.mms");
        Assert.Equal(ExitCode.BadInput, Mmsim("run", missing));
        Assert.Equal($"{missing}: no such file\n", _err.ToString());
    }

    [Fact]
    public void Run_several_files_reports_the_worst()
    {
        var pass = Write("a.mms", Passing);
        var fail = Write("b.mms", "getpid() = 42\n");
        Assert.Equal(ExitCode.Failed, Mmsim("run", pass, fail));
        Assert.Contains($"# {pass}\n", _out.ToString());
        Assert.Contains($"# {fail}\ngetpid() = 1\n", _out.ToString());
        Assert.Equal($"{fail}:1: error: expected 42, got 1\n    getpid() = 42\n", _err.ToString());
    }

    [Fact]
    public void Run_dump_prints_each_live_process()
    {
        var file = Write("dump.mms", Passing + "\nfork() = $c\n");
        Assert.Equal(ExitCode.Passed, Mmsim("run", "--dump", "maps", file));
        Assert.EndsWith(
            "--- /proc/1/maps ---\n100000000000-100000001000 rw-p 00000000 00:00 0 \n"
            + "--- /proc/2/maps ---\n100000000000-100000001000 rw-p 00000000 00:00 0 \n",
            _out.ToString());
    }

    [Fact]
    public void Run_validate_reports_a_broken_invariant_as_a_model_bug()
    {
        var file = Write("v.mms", "getpid()\n");
        var code = (ExitCode)MmSimCli.Run(["run", "--validate", file],
            new CliContext(_out, _err, () => new FakeTarget { BrokenInvariant = "mapcount mismatch" }, () => new FakeTarget()));
        Assert.Equal(ExitCode.Failed, code);
        Assert.StartsWith($"{file}:1: model bug: mapcount mismatch\n", _err.ToString());
    }

    [Theory]
    [InlineData("run", "--frobnicate", "x.mms")]
    [InlineData("run")]
    [InlineData("run", "--dump", "pagemap", "x.mms")]
    [InlineData("frob")]
    [InlineData]
    public void Bad_usage_is_bad_input(params string[] args)
    {
        Assert.Equal(ExitCode.BadInput, Mmsim(args));
        Assert.StartsWith("mmsim: ", _err.ToString());
        Assert.Equal("", _out.ToString());
    }

    [Fact]
    public void Help_and_version_succeed()
    {
        Assert.Equal(ExitCode.Passed, Mmsim("--help"));
        Assert.Contains("check", _out.ToString());
        Assert.Equal(ExitCode.Passed, Mmsim("run", "--help"));
        Assert.Contains("--dump <maps|smaps|status|vmstat>", _out.ToString());
        Assert.Equal(ExitCode.Passed, Mmsim("--version"));
    }

    [Fact]
    public void Check_directory_runs_every_scenario_recursively_and_sorted()
    {
        Write("suite/a.mms", Passing);
        Write("suite/sub/b.mms", "getpid() = 42\n");
        Write("suite/sub/c.mms", Passing);
        Write("suite/notes.txt", "not a scenario");
        Assert.Equal(ExitCode.Failed, Mmsim("check", Path.Combine(_dir, "suite")));
        Assert.Equal($"{Path.Combine(_dir, "suite", "sub", "b.mms")}:1: error: expected 42, got 1\n2 passed, 1 failed\n", _out.ToString());
    }

    [Fact]
    public void Check_all_passing()
    {
        Assert.Equal(ExitCode.Passed, Mmsim("check", Write("a.mms", Passing), Write("b.mms", Passing)));
        Assert.Equal("2 passed, 0 failed\n", _out.ToString());
    }

    [Fact]
    public void Check_malformed_and_missing_files_count_as_failed_and_are_bad_input()
    {
        var bad = Write("bad.mms", "munmap($x, 4K)\n");
        var missing = Path.Combine(_dir, "nope.mms");
        Assert.Equal(ExitCode.BadInput, Mmsim("check", Write("ok.mms", Passing), bad, missing));
        Assert.Equal($"{bad}:1:8: error: undefined variable $x\n{missing}: no such file\n1 passed, 2 failed\n", _out.ToString());
    }

    [Fact]
    public void Check_validates_after_every_statement()
    {
        var file = Write("v.mms", "getpid()\n");
        var code = (ExitCode)MmSimCli.Run(["check", file],
            new CliContext(_out, _err, () => new FakeTarget { BrokenInvariant = "vma tree unsorted" }, () => new FakeTarget()));
        Assert.Equal(ExitCode.Failed, code);
        Assert.Equal($"{file}:1: model bug: vma tree unsorted\n0 passed, 1 failed\n", _out.ToString());
    }

    [Fact]
    public void The_basics_example_passes_on_the_model()
    {
        var basics = Path.Combine(RepoPaths.Root, "examples", "basics.mms");
        var code = (ExitCode)MmSimCli.Run(["run", "--validate", basics], _out, _err);
        Assert.True(code == ExitCode.Passed, $"{_err}\n--- echo ---\n{_out}");
    }

    private ExitCode Diff(Func<IScenarioTarget> kernel, params string[] args) =>
        (ExitCode)MmSimCli.Run(["diff", .. args], new CliContext(_out, _err, () => new ModelTarget(), kernel));

    [Fact]
    public void Diff_of_identical_behaviour_passes()
    {
        var file = Write("same.mms", Passing);
        Assert.Equal(ExitCode.Passed, Diff(() => new ModelTarget(), file));
        Assert.EndsWith("1 passed, 0 failed\n", _out.ToString());
    }

    [Fact]
    public void Diff_prints_the_first_divergence_as_a_unified_diff()
    {
        var file = Write("split.mms", """
            mmap(0x100000000000, 12K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
            mprotect($a+4K, 4K, PROT_READ) = 0
            munmap($a, 12K) = 0
            """);
        var other = Write("same.mms", Passing);
        Assert.Equal(ExitCode.Failed, Diff(() => new ModelTarget(new KernelConfig { MaxMapCount = 2 }), file, other));
        string output = _out.ToString();
        Assert.Contains($"{file}:2: mprotect($a+4K, 4K, PROT_READ) = 0\n--- model\n+++ kernel\n@@ result @@\n-= 0\n+= -1 ENOMEM (Cannot allocate memory)\n", output);
        Assert.EndsWith("1 passed, 1 failed\n", output);
    }

    [Fact]
    public void Diff_without_a_usable_host_kernel_is_bad_usage()
    {
        var file = Write("same.mms", Passing);
        Assert.Equal(ExitCode.BadInput, Diff(() => throw new HostUnavailable("not Linux"), file));
        Assert.Contains("not Linux", _err.ToString());
    }

    [Fact]
    public void Check_does_not_follow_directory_links_so_a_loop_counts_each_file_once()
    {
        Write("suite/a.mms", Passing);
        Write("suite/sub/b.mms", Passing);
        Directory.CreateSymbolicLink(Path.Combine(_dir, "suite", "sub", "up"), "..");
        File.CreateSymbolicLink(Path.Combine(_dir, "suite", "linked.mms"), Path.Combine(_dir, "suite", "a.mms"));
        Directory.CreateSymbolicLink(Path.Combine(_dir, "via-link"), Path.Combine(_dir, "suite"));
        Assert.Equal(ExitCode.Passed, Mmsim("check", Path.Combine(_dir, "via-link")));
        Assert.Equal("3 passed, 0 failed\n", _out.ToString());
    }

    [Fact]
    public void A_file_too_large_to_be_a_scenario_is_bad_input_without_reading_it_all()
    {
        // /dev/zero never ends: it must be refused at the limit, not read until the host runs out of memory.
        Assert.Equal(ExitCode.BadInput, Mmsim("run", "/dev/zero"));
        Assert.Equal("/dev/zero: larger than 256 MiB, the most a scenario file may hold\n", _err.ToString());
    }

    [Fact]
    public void An_internal_error_is_one_line_and_exit_1_never_a_stack_trace()
    {
        var file = Write("same.mms", Passing);
        Assert.Equal(ExitCode.Failed, Diff(() => throw new InvalidOperationException("broken"), file, file));
        Assert.Equal($"{file}: model bug: InvalidOperationException: broken\n\n{file}: model bug: InvalidOperationException: broken\n\n0 passed, 2 failed\n", _out.ToString());

        // Outside any one file, the command itself catches it.
        var code = (ExitCode)MmSimCli.Run(["run", file, file], new CliContext(new ThrowingWriter(), _err, () => new ModelTarget(), () => new ModelTarget()));
        Assert.Equal(ExitCode.Failed, code);
        Assert.Equal("mmsim: internal error (a bug in mmsim, please report it): IOException: the terminal went away\n", _err.ToString());
    }

    private sealed class ThrowingWriter : StringWriter
    {
        public override void WriteLine(string? value) => throw new IOException("the terminal went away");
    }
}
