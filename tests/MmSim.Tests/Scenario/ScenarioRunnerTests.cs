using MmSim.Scenario;
using static MmSim.Tests.Scenario.ScenarioHarness;

namespace MmSim.Tests.Scenario;

/// <summary>The interpreter's echo and expectation rules, on <see cref="FakeTarget"/>.</summary>
public sealed class ScenarioRunnerTests
{
    private const string MapA = "mmap(0x100000000000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a\n";

    [Fact]
    public void Echo_prints_arguments_as_strace_does()
    {
        var echo = Pass(MapA + "mprotect($a, 4K, PROT_READ|0x100) = 0\nmadvise($a, 8K, MADV_DONTNEED) = 0\nmprotect($a, 4K, PROT_NONE)");
        Assert.Equal(
            """
            mmap(0x100000000000, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x100000000000
            mprotect(0x100000000000, 4096, PROT_READ|0x100) = 0
            madvise(0x100000000000, 8192, MADV_DONTNEED) = 0
            mprotect(0x100000000000, 4096, PROT_NONE) = 0

            """, echo);
    }

    [Fact]
    public void Null_pointers_and_file_offsets_print_as_strace_does()
    {
        var echo = Pass("mmap(NULL, 4K, PROT_READ, MAP_SHARED_VALIDATE, -1, 0x2000) = $a\nbrk(0) = ?");
        Assert.Equal(
            "mmap(NULL, 4096, PROT_READ, MAP_SHARED_VALIDATE, -1, 0x2000) = 0x7efffffff000\nbrk(NULL) = 0x555555559000\n",
            echo);
    }

    [Fact]
    public void A_bound_variable_holds_the_return_value()
    {
        var echo = Pass("mmap(NULL, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a\nmunmap($a, 4K) = 0\nvma_count($a, $a+4K) = 0");
        Assert.Contains("munmap(0x7efffffff000, 4096) = 0", echo);
    }

    [Fact]
    public void Failures_print_and_match_in_strace_form()
    {
        var echo = Pass("munmap(0x1000, 0) = -1 EINVAL (Invalid argument)\nmunmap(0x1000, 0) = -1 EINVAL\nmunmap(0x1000, 0) = -1");
        Assert.StartsWith("munmap(0x1000, 0) = -1 EINVAL (Invalid argument)\n", echo);
    }

    [Fact]
    public void An_unmet_expectation_stops_the_run_with_expected_and_actual()
    {
        var (result, echo) = Run(MapA + "munmap($a, 4K) = -1 EINVAL\ngetpid()");
        var failure = result.Failure!;
        Assert.Equal(ScenarioFailureKind.UnmetExpectation, failure.Kind);
        Assert.Equal(new SourcePos(FileName, 2, 1), failure.Pos);
        Assert.Equal("munmap($a, 4K) = -1 EINVAL", failure.Statement);
        Assert.Equal("t.mms:2: error: expected -1 EINVAL (Invalid argument), got 0", failure.Summary);
        Assert.Equal("t.mms:2: error: expected -1 EINVAL (Invalid argument), got 0\n    munmap($a, 4K) = -1 EINVAL", failure.ToString());
        Assert.DoesNotContain("getpid", echo);
    }

    [Fact]
    public void A_pointer_result_mismatch_prints_in_hex() =>
        Assert.Equal("expected 0x200000000000, got -1 EEXIST (File exists)", Fail(MapA + MapA.Replace("$a", "0x200000000000")).Message);

    [Fact]
    public void A_statement_without_expectation_never_fails() =>
        Pass("munmap(0x1001, 4K)\ntouch(0, 1, READ)\nload(0, 1)\nsmaps(0)");

    [Fact]
    public void Question_mark_checks_nothing() => Pass("munmap(0x1001, 4K) = ?\ntouch(0, 1, READ) = ?");

    [Fact]
    public void Binding_needs_success()
    {
        var failure = Fail("mmap(NULL, 0, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a");
        Assert.Equal("expected a value for $a, got -1 EINVAL (Invalid argument)", failure.Message);
    }

    [Fact]
    public void Memory_accesses_store_fill_and_load()
    {
        var echo = Pass(MapA + """
            store($a, "hi\n\0\xff")
            load($a, 5) = "hi\n\0\xff"
            store($a+1, 3, 0x41) = 0
            load($a, 4) = "hAAA"
            """);
        Assert.Contains("""store(0x100000000000, "hi\n\0\xff") = 0""", echo);
        Assert.Contains("store(0x100000000001, 3, 0x41) = 0", echo);
        Assert.Contains("load(0x100000000000, 4) = \"hAAA\"", echo);
    }

    [Fact]
    public void A_long_load_echoes_its_first_bytes()
    {
        var echo = Pass(MapA + "load($a, 100) = ?");
        Assert.EndsWith($"= \"{string.Concat(Enumerable.Repeat("\\0", 64))}\"...\n", echo);
    }

    [Fact]
    public void A_mismatched_load_shows_both_strings() =>
        Assert.Equal("expected \"ab\", got \"\\0\\0\"", Fail(MapA + "load($a, 2) = \"ab\"").Message);

    [Fact]
    public void Faulting_accesses_print_and_match_their_siginfo()
    {
        var echo = Pass(MapA + """
            mprotect($a, 4K, PROT_READ) = 0
            touch($a, 4K, WRITE) = SIGSEGV {si_code=SEGV_ACCERR, si_addr=$a}
            touch($a+4K, 1, READ) = SIGSEGV
            store($a+8K, "x") = SIGSEGV {si_code=SEGV_MAPERR}
            """);
        Assert.Contains("touch(0x100000000000, 4096, WRITE) = SIGSEGV {si_code=SEGV_ACCERR, si_addr=0x100000000000}", echo);
        Assert.Contains("touch(0x100000001000, 1, READ) = SIGSEGV {si_code=SEGV_MAPERR, si_addr=0x100000001000}", echo);
    }

    [Fact]
    public void A_wrong_signal_detail_is_reported()
    {
        var failure = Fail(MapA + "touch($a+4K, 1, READ) = SIGSEGV {si_code=SEGV_ACCERR}");
        Assert.Equal("expected SIGSEGV {si_code=SEGV_ACCERR}, got SIGSEGV {si_code=SEGV_MAPERR}", failure.Message);
        Assert.Equal("expected SIGBUS, got 0", Fail(MapA + "touch($a, 1, READ) = SIGBUS").Message);
    }

    [Fact]
    public void Smaps_parses_the_entry_and_compares_listed_fields()
    {
        var echo = Pass(MapA + """
            smaps($a) = {start=$a, end=$a+4K, perms="rw-p", name="", Size=4, Rss=0, THPeligible=0, VmFlags="rd wr mr mw me ac"}
            smaps($a+4K) = NULL
            """);
        Assert.Contains(
            """smaps(0x100000000000) = {start=0x100000000000, end=0x100000001000, perms="rw-p", name="", Size=4, VmFlags="rd wr mr mw me ac"}""",
            echo);
        Assert.Contains("smaps(0x100000001000) = NULL", echo);
    }

    [Fact]
    public void A_struct_mismatch_shows_only_the_listed_fields()
    {
        var failure = Fail(MapA + "smaps($a) = {end=$a+8K, Rss=0, Nope=1}");
        Assert.Equal("expected {end=0x100000002000, Rss=0, Nope=1}, got {end=0x100000001000, Rss=0, Nope=\"<absent>\"}", failure.Message);
        Assert.Equal("expected {Rss=0}, got NULL", Fail("smaps(0x1000) = {Rss=0}").Message);
    }

    [Fact]
    public void Status_parses_numbers_and_strings()
    {
        var echo = Pass(MapA + "status() = {Name=\"fake\", Umask=\"0022\", VmSize=4, VmRSS=4, Threads=1, Pid=$main}");
        Assert.Contains("status() = {VmSize=4, VmRSS=4, RssAnon=4}", echo);
    }

    [Fact]
    public void Proc_text_calls_echo_the_text_after_the_statement()
    {
        var echo = Pass(MapA + "maps()\nmeminfo() = ?");
        Assert.Contains("maps() =\n100000000000-100000001000 rw-p 00000000 00:00 0 \nmeminfo() =\nMemTotal:        4194304 kB\nMemFree:         4194304 kB\n", echo);
    }

    [Fact]
    public void Fork_binds_the_child_and_pid_prefix_runs_in_it()
    {
        var echo = Pass(MapA + """
            fork() = $c
            [pid $c] getpid() = $c
            [pid $c] munmap($a, 4K) = 0
            [pid $c] smaps($a) = NULL
            smaps($a) = {start=$a}
            """);
        Assert.Contains("fork() = 2\n[pid 2] getpid() = 2\n[pid 2] munmap(0x100000000000, 4096) = 0\n", echo);
    }

    [Fact]
    public void Exit_group_prints_strace_exit_line_and_ends_the_process()
    {
        var (result, echo) = Run("fork() = $c\n[pid $c] exit_group(3) = ?\n[pid $c] getpid()");
        Assert.Contains("[pid 2] exit_group(3) = ?\n[pid 2] +++ exited with 3 +++\n", echo);
        Assert.Equal(ScenarioFailureKind.RuntimeError, result.Failure!.Kind);
        Assert.Equal("t.mms:3: error: process 2 is dead (exited with 3)", result.Failure.Summary);
    }

    [Fact]
    public void A_killed_process_prints_strace_killed_line()
    {
        var echo = Pass("fork() = $c\n[pid $c] touch(0, 0x10000000000, READ) = SIGKILL\nkill($main, SIGKILL) = SIGKILL");
        Assert.Contains("[pid 2] touch(NULL, 1099511627776, READ) = +++ killed by SIGKILL +++\n", echo);
        Assert.Contains("kill(1, SIGKILL) = +++ killed by SIGKILL +++\n", echo);
    }

    [Fact]
    public void An_unknown_pid_is_a_runtime_error() =>
        Assert.Equal("no process has pid 99", Fail("[pid 99] getpid()").Message);

    [Fact]
    public void Rlimit_structs_in_and_out()
    {
        var echo = Pass("""
            setrlimit(RLIMIT_STACK, {rlim_cur=4M, rlim_max=RLIM_INFINITY}) = 0
            getrlimit(RLIMIT_STACK, {rlim_cur=4M}) = 0
            prlimit64(0, RLIMIT_STACK, {rlim_cur=1000, rlim_max=2M}, {rlim_max=RLIM64_INFINITY}) = 0
            prlimit64(0, RLIMIT_STACK, NULL, NULL) = 0
            getrlimit(RLIMIT_STACK, NULL) = -1 EFAULT (Bad address)
            """);
        Assert.Contains("setrlimit(RLIMIT_STACK, {rlim_cur=4096*1024, rlim_max=RLIM64_INFINITY}) = 0\n", echo);
        Assert.Contains("getrlimit(RLIMIT_STACK, {rlim_cur=4096*1024, rlim_max=RLIM64_INFINITY}) = 0\n", echo);
        Assert.Contains("prlimit64(0, RLIMIT_STACK, {rlim_cur=1000, rlim_max=2048*1024}, {rlim_cur=4096*1024, rlim_max=RLIM64_INFINITY}) = 0\n", echo);
        Assert.Contains("prlimit64(0, RLIMIT_STACK, NULL, NULL) = 0\n", echo);
    }

    [Fact]
    public void An_out_struct_is_an_expectation()
    {
        var failure = Fail("getrlimit(RLIMIT_STACK, {rlim_cur=4M}) = 0");
        Assert.Equal("rlim expected {rlim_cur=4096*1024}, got {rlim_cur=8192*1024}", failure.Message);
        Pass("getrlimit(RLIMIT_STACK, {rlim_cur=4M})"); // no '=': nothing is checked
    }

    [Fact]
    public void Memfd_names_are_quoted()
    {
        var echo = Pass("memfd_create(\"buf\\x01\", MFD_CLOEXEC|MFD_ALLOW_SEALING) = 3\nclose(-1) = -1 EBADF");
        Assert.Equal("memfd_create(\"buf\\x01\", MFD_CLOEXEC|MFD_ALLOW_SEALING) = 3\nclose(-1) = -1 EBADF (Bad file descriptor)\n", echo);
    }

    [Fact]
    public void A_byte_out_of_range_is_a_runtime_error() =>
        Assert.Equal("argument 3 is 256, not a byte value (0-255)", Fail(MapA + "store($a, 1, 256)").Message);

    [Fact]
    public void Validation_runs_after_every_statement_and_reports_a_model_bug()
    {
        var target = new FakeTarget();
        Pass("getpid()\ngetpid()\nvalidate() = 0", target);
        Assert.Equal(4, target.Validations);

        var broken = new FakeTarget { BrokenInvariant = "rss counter mismatch" };
        var failure = Fail("getpid()\ngetpid()", broken);
        Assert.Equal(ScenarioFailureKind.ModelBug, failure.Kind);
        Assert.Equal("t.mms:1: model bug: rss counter mismatch", failure.Summary);
    }

    [Fact]
    public void A_model_exception_is_a_model_bug_at_its_line()
    {
        var failure = Fail(MapA + "madvise($a, 4K, MADV_HWPOISON) = 0");
        Assert.Equal(ScenarioFailureKind.ModelBug, failure.Kind);
        Assert.Equal(2, failure.Pos.Line);
        Assert.StartsWith("NotImplementedException: MADV_HWPOISON", failure.Message);
    }
}
