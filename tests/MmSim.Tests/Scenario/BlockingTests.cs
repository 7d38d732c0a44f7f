using MmSim.Scenario;
using static MmSim.Tests.Scenario.ScenarioHarness;

namespace MmSim.Tests.Scenario;

/// <summary>The rules of calls that block (<c>&lt;unfinished ...&gt;</c>, <c>&lt;... NAME resumed&gt;</c>), on the model.</summary>
public sealed class BlockingTests
{
    private const string Setup = """
        mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
        userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
        ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
        ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
        thread() = $t

        """;

    [Fact]
    public void A_call_that_blocks_without_unfinished_fails_as_blocked()
    {
        var failure = Fail(Setup + "[pid $t] load($a, 1) = \"\\0\"", new ModelTarget());
        Assert.Equal(ScenarioFailureKind.UnmetExpectation, failure.Kind);
        Assert.Equal(6, failure.Pos.Line);
        Assert.StartsWith("blocked: the call did not return", failure.Message);
    }

    [Fact]
    public void An_unfinished_call_that_returns_at_once_fails()
    {
        var failure = Fail(Setup + "[pid $t] load($a+8K, 1) <unfinished ...>", new ModelTarget());
        Assert.Equal("expected the call to block, got SIGSEGV {si_code=SEGV_MAPERR, si_addr=0x100000002000}", failure.Message);
    }

    [Fact]
    public void A_blocked_task_takes_no_other_statement_and_resumes_only_its_own_call()
    {
        var busy = Fail(Setup + "[pid $t] load($a, 1) <unfinished ...>\n[pid $t] getpid() = $main", new ModelTarget());
        Assert.Equal(ScenarioFailureKind.RuntimeError, busy.Kind);
        Assert.Matches(@"^pid \d+ is blocked in load\(\) since line 6$", busy.Message);

        var wrong = Fail(Setup + "[pid $t] load($a, 1) <unfinished ...>\n[pid $t] <... store resumed> = 0", new ModelTarget());
        Assert.Matches(@"^pid \d+ is blocked in load\(\) since line 6, not in store\(\)$", wrong.Message);

        var none = Fail(Setup + "[pid $t] <... load resumed> = 0", new ModelTarget());
        Assert.Matches(@"^pid \d+ has no unfinished call to resume$", none.Message);
    }

    [Fact]
    public void A_call_still_blocked_at_its_resumed_line_fails()
    {
        var failure = Fail(Setup + "[pid $t] load($a, 1) <unfinished ...>\n[pid $t] <... load resumed> = \"\\0\"", new ModelTarget());
        Assert.Equal(ScenarioFailureKind.UnmetExpectation, failure.Kind);
        Assert.Equal("still blocked in load() (line 6)", failure.Message);
    }

    [Fact]
    public void A_woken_access_goes_on_from_the_page_it_stopped_at_and_its_result_is_checked_when_resumed()
    {
        var echo = Pass(Setup + """
            thread() = $m
            store($a+8K-2, "xy") <unfinished ...>
            [pid $m] read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE, address=$a+4K}}, 32) = 32
            [pid $m] ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a+4K, len=4K}, mode=0, zeropage=4096}) = 0
            <... store resumed> = 0
            load($a+8K-2, 2) = "xy"
            """, new ModelTarget());
        Assert.Contains("store(0x100000001ffe, \"xy\") <unfinished ...>\n", echo);
        Assert.Contains("<... store resumed> = 0\n", echo);
    }

    [Fact]
    public void The_blocking_syntax_is_checked_when_parsed()
    {
        Assert.Equal("t.mms:1:29: error: expected end of line after '<unfinished ...>', found '='",
            Malformed("load(0, 1) <unfinished ...> = 0").Message);
        Assert.Equal("t.mms:1:6: error: expected the name of the call that resumes, found 'nosuch'",
            Malformed("<... nosuch resumed> = 0").Message);
        Assert.Equal("t.mms:1:10: error: expected 'resumed', found '>'", Malformed("<... load> = 0").Message);
        Assert.Equal("t.mms:1:41: error: expected 'copy' after '=>', found 'mode'",
            Malformed("ioctl(3, UFFDIO_COPY, {dst=0, copy=0 => mode=1})").Message);
    }
}
