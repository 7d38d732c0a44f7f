using MmSim.Scenario;
using static MmSim.Tests.Scenario.ScenarioHarness;

namespace MmSim.Tests.Scenario;

/// <summary>
/// UFFD_EVENT_FORK on the model, where the golden file (tests/scenarios/userfaultfd/fork-event.mms) cannot go: the
/// kernel runner reads /proc through its own fds, which an RLIMIT_NOFILE that leaves none free forbids. Checked on
/// 6.18 with a C probe: the read fails with EMFILE, fork stays asleep, and the next read with a free fd gets the event.
/// Also the rule of variables bound from an out-parameter's field.
/// </summary>
public sealed class UffdForkEventTests
{
    private const string Setup = """
        mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
        userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
        capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_SYS_PTRACE, permitted=1<<CAP_SYS_PTRACE, inheritable=0}) = 0
        ioctl($u, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_EVENT_FORK}) = 0
        ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
        thread() = $t

        """;

    [Fact]
    public void Without_a_free_fd_the_fork_event_read_fails_with_EMFILE_and_stays_queued()
    {
        Pass(Setup + """
            [pid $t] fork() <unfinished ...>
            setrlimit(RLIMIT_NOFILE, {rlim_cur=4, rlim_max=4096}) = 0
            read($u, ..., 32) = -1 EMFILE (Too many open files)
            read($u, ..., 64) = -1 EMFILE (Too many open files)
            poll([{fd=$u, events=POLLIN, revents=POLLIN}], 1, 0) = 1
            setrlimit(RLIMIT_NOFILE, {rlim_cur=5, rlim_max=4096}) = 0
            read($u, {event=UFFD_EVENT_FORK, fork={ufd=4}}, 32) = 32
            [pid $t] <... fork resumed> = $c
            [pid $c] smaps($a) = {VmFlags="rd wr mr mw me um ac"}
            """, new ModelTarget());
    }

    [Fact]
    public void A_variable_bound_from_the_message_names_the_new_fd()
    {
        var echo = Pass(Setup + """
            [pid $t] fork() <unfinished ...>
            read($u, {event=UFFD_EVENT_FORK, fork={ufd=$cu}}, 32) = 32
            [pid $t] <... fork resumed> = $c
            [pid $c] load($a, 1) <unfinished ...>
            read($cu, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=0, address=$a}}, 32) = 32
            ioctl($cu, UFFDIO_ZEROPAGE, {range={start=$a, len=4K}, mode=0, zeropage=4096}) = 0
            [pid $c] <... load resumed> = "\0"
            close($cu) = 0
            """, new ModelTarget());
        Assert.Contains("read(3, {event=UFFD_EVENT_FORK, fork={ufd=4}}, 32) = 32\n", echo);
        Assert.Contains("read(4, {event=UFFD_EVENT_PAGEFAULT,", echo);
    }

    [Fact]
    public void A_failed_read_binds_nothing()
    {
        var failure = Fail(Setup + """
            read($u, {event=UFFD_EVENT_FORK, fork={ufd=$cu}}, 32) = -1 EAGAIN (Resource temporarily unavailable)
            close($cu) = 0
            """, new ModelTarget());
        Assert.Equal(ScenarioFailureKind.RuntimeError, failure.Kind);
        Assert.Equal("$cu (column 7) is not bound: the statement that binds it failed", failure.Message);
    }

    [Theory]
    // Only an out-parameter that allows it binds; not a result, not an input, not inside arithmetic.
    [InlineData("getrlimit(RLIMIT_STACK, {rlim_cur=$x, rlim_max=0}) = 0", "t.mms:1:35: error: undefined variable $x")]
    [InlineData("getpid() = {x=$x}", "t.mms:1:15: error: undefined variable $x")]
    [InlineData("read(3, {event=1, fork={ufd=$x+1}}, 32) = 32", "t.mms:1:29: error: undefined variable $x")]
    [InlineData("read(3, {event=$x, fork={ufd=$x}}, 32) = 32", "t.mms:1:30: error: $x is bound twice in this statement")]
    [InlineData("read(3, {event=1, fork={ufd=$x}}, $x) = 32", "t.mms:1:35: error: undefined variable $x")]
    [InlineData("read(3, {event=1, fork={ufd=$x}}, 32) = $x", "t.mms:1:41: error: undefined variable $x")]
    public void Binding_from_a_field_is_checked_when_parsed(string line, string error)
    {
        Assert.Equal(error, Malformed(line).Message);
    }

    [Fact]
    public void A_field_bound_on_one_line_is_usable_on_the_next()
    {
        var script = ScenarioParser.Parse("read(3, {event=1, fork={ufd=$x}}, 32) = 32\nclose($x) = 0", FileName);
        Assert.Equal(2, script.Statements.Count);
    }
}
