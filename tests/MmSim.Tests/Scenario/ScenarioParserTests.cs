using System.Text;
using MmSim.Abi;
using MmSim.Scenario;
using static MmSim.Tests.Scenario.ScenarioHarness;

namespace MmSim.Tests.Scenario;

public sealed class ScenarioParserTests
{
    private static CallStatement Single(string text) =>
        Assert.IsType<CallStatement>(Assert.Single(ScenarioParser.Parse(text, FileName).Statements));

    [Theory]
    [InlineData("42", 42)]
    [InlineData("0x1000", 0x1000)]
    [InlineData("0XfF", 255)]
    [InlineData("4K", 4096)]
    [InlineData("16K", 16384)]
    [InlineData("2M", 2 << 20)]
    [InlineData("1G", 1 << 30)]
    [InlineData("0x10K", 16 * 1024)]
    [InlineData("0xffffffffffffffff", -1)]
    [InlineData("-1", -1)]
    [InlineData("-4K", -4096)]
    [InlineData("$a+4K-1", 0x1000 + 4096 - 1)]
    [InlineData("$a - 0x800", 0x800)]
    [InlineData("$main", 1)]
    [InlineData("PROT_READ|PROT_WRITE", Prot.PROT_READ | Prot.PROT_WRITE)]
    [InlineData("PROT_READ|4", Prot.PROT_READ | Prot.PROT_EXEC)]
    [InlineData("MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE", Map.MAP_PRIVATE | Map.MAP_ANONYMOUS | Map.MAP_FIXED_NOREPLACE)]
    [InlineData("1|2+4", 1 | (2 + 4))] // '|' binds looser than '+', as in C
    [InlineData("RLIM_INFINITY", -1)]
    [InlineData("RLIM64_INFINITY", -1)]
    [InlineData("READ|WRITE", 3)]
    [InlineData("SIGKILL", Signal.SIGKILL)]
    [InlineData("MFD_CLOEXEC|MFD_ALLOW_SEALING", 3)]
    [InlineData("MADV_DONTNEED", Madv.MADV_DONTNEED)]
    [InlineData("1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO", (1 << Capability.CAP_IPC_LOCK) | (1 << Capability.CAP_SYS_RAWIO))]
    [InlineData("1<<2+1", 1 << 3)] // '<<' binds looser than '+' and tighter than '|', as in C
    [InlineData("0x1234 /* _LINUX_CAPABILITY_VERSION_??? */", 0x1234)] // strace's comments are blanks
    public void Expressions_evaluate_to_their_value(string expr, long value) => Assert.Equal(value, Evaluate(expr));

    [Fact]
    public void Strings_take_C_escapes()
    {
        var call = Single("""store(0x1000, "a\n\t\\\"\0\x41\xfFz # not a comment")""");
        var bytes = Assert.IsType<StringExpr>(call.Args[1]).Bytes;
        Assert.Equal("a\n\t\\\"\0A\xff" + "z # not a comment", Encoding.Latin1.GetString(bytes));
    }

    [Fact]
    public void Strings_take_octal_escapes_as_strace_prints_them()
    {
        var call = Single("""read(3, "\23\0\0\0\1778\0009\377", 32)""");
        var bytes = Assert.IsType<StringExpr>(call.Args[1]).Bytes;
        Assert.Equal([0x13, 0, 0, 0, 0x7f, (byte)'8', 0, (byte)'9', 0xff], bytes);
        Assert.Equal("t.mms:1:12: error: octal escape '\\400' is above \\377", Malformed("store(0, \"a\\400\")").Message);
    }

    [Fact]
    public void Strace_text_after_a_value_is_skipped_and_polls_ready_entries_are_kept()
    {
        var skipped = Assert.IsType<ExpectValue>(Single("getpid() = 0 (SCHED_OTHER)").Expected);
        Assert.Null(skipped.Detail);
        var poll = Assert.IsType<ExpectValue>(Single("poll([{fd=3, events=POLLIN}], 1, 0) = 1 ([{fd=3, revents=POLLIN}])").Expected);
        Assert.IsType<ArrayExpr>(poll.Detail);
        Assert.Equal("t.mms:1:20: error: expected ')', found end of line", Malformed("getpid() = 0 (SCHED").Message);
    }

    [Fact]
    public void Strace_capability_lines_parse_as_strace_prints_them()
    {
        var call = Single("capget({version=0x1234 /* _LINUX_CAPABILITY_VERSION_??? */, pid=0}, NULL) = 0");
        var header = Assert.IsType<StructExpr>(call.Args[0]);
        Assert.Equal(["version", "pid"], header.Fields.Select(f => f.Name));
        Assert.IsType<NullExpr>(call.Args[1]);
    }

    [Fact]
    public void Strings_are_utf8_bytes()
    {
        var call = Single("""store(0x1000, "é")""");
        Assert.Equal([0xc3, 0xa9], Assert.IsType<StringExpr>(call.Args[1]).Bytes);
    }

    [Fact]
    public void Comments_blank_lines_and_crlf_are_ignored()
    {
        var script = ScenarioParser.Parse("# a scenario\r\n\r\n   \ngetpid()   # trailing comment\r\n# end", FileName);
        var call = Assert.IsType<CallStatement>(Assert.Single(script.Statements));
        Assert.Equal(new SourcePos(FileName, 4, 1), call.Pos);
        Assert.Equal("getpid()", call.Source);
        Assert.Null(call.Expected);
    }

    [Fact]
    public void A_statement_records_its_call_arguments_and_position()
    {
        var call = Single("  munmap(0x1000, 4K) = 0");
        Assert.Equal("munmap", call.Call.Name);
        Assert.Equal(new SourcePos(FileName, 1, 3), call.Pos);
        Assert.Equal("munmap(0x1000, 4K) = 0", call.Source);
        Assert.Equal([0x1000L, 4096L], call.Args.Select(a => Assert.IsType<NumberExpr>(a).Value));
        Assert.Null(call.Pid);
    }

    [Fact]
    public void Negative_numbers_are_arguments()
    {
        var call = Single("close(-1) = -1 EBADF (Bad file descriptor)");
        Assert.IsType<NumberExpr>(Assert.IsType<NegateExpr>(Assert.Single(call.Args)).Operand);
    }

    [Fact]
    public void Null_is_an_argument()
    {
        var call = Single("mmap(NULL, 4K, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)");
        Assert.IsType<NullExpr>(call.Args[0]);
        Assert.IsType<BinaryExpr>(call.Args[3]);
    }

    [Fact]
    public void Structs_are_arguments()
    {
        var call = Single("setrlimit(RLIMIT_STACK, {rlim_cur=8M, rlim_max=RLIM_INFINITY}) = 0");
        var s = Assert.IsType<StructExpr>(call.Args[1]);
        Assert.Equal(["rlim_cur", "rlim_max"], s.Fields.Select(f => f.Name));
        Assert.Equal(8L << 20, Assert.IsType<NumberExpr>(s.Fields[0].Value).Value);
        Assert.IsType<SymbolExpr>(s.Fields[1].Value);
    }

    [Fact]
    public void Strings_are_arguments() =>
        Assert.IsType<StringExpr>(Single("""memfd_create("buf", MFD_CLOEXEC) = 3""").Args[0]);

    [Fact]
    public void Arrays_parse_and_are_checked_against_the_parameter()
    {
        var e = Malformed("munmap([1, 2], 0)");
        Assert.Equal("t.mms:1:8: error: expected a number for addr, found an array", e.Message);
        var expected = Assert.IsType<ExpectValue>(Single("getpid() = [1, $main]").Expected);
        Assert.Equal(2, Assert.IsType<ArrayExpr>(expected.Value).Items.Count);
    }

    [Fact]
    public void Pid_prefix_names_the_process()
    {
        var script = ScenarioParser.Parse("fork() = $c\n[pid $c] getpid() = $c\n[pid 1] getpid() = 1", FileName);
        var child = Assert.IsType<CallStatement>(script.Statements[1]);
        Assert.Equal("c", Assert.IsType<VarExpr>(child.Pid).Name);
        Assert.Equal(1, Assert.IsType<NumberExpr>(((CallStatement)script.Statements[2]).Pid).Value);
    }

    [Fact]
    public void Results_of_every_kind()
    {
        var script = ScenarioParser.Parse(
            """
            mmap(NULL, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a
            munmap($a, 4K) = 0
            munmap($a, 0) = -1 EINVAL (Invalid argument)
            munmap($a, 0) = -1 EINVAL
            munmap($a, 0) = -1
            touch($a, 1, WRITE) = SIGSEGV
            touch($a, 1, WRITE) = SIGSEGV {si_code=SEGV_ACCERR, si_addr=$a}
            touch($a, 1, READ) = SIGKILL
            load($a, 2) = "hi"
            smaps($a) = {start=$a, end=$a+4K, perms="r--p", Rss=0}
            smaps($a) = NULL
            maps() = ?
            getpid() = $main
            """, FileName);
        var results = script.Statements.Cast<CallStatement>().Select(s => s.Expected).ToList();
        Assert.Equal("a", Assert.IsType<ExpectBind>(results[0]).Name);
        Assert.Equal(0, Assert.IsType<NumberExpr>(Assert.IsType<ExpectValue>(results[1]).Value).Value);
        Assert.Equal(Errno.EINVAL, Assert.IsType<ExpectErrno>(results[2]).Errno);
        Assert.Equal(Errno.EINVAL, Assert.IsType<ExpectErrno>(results[3]).Errno);
        Assert.IsType<NegateExpr>(Assert.IsType<ExpectValue>(results[4]).Value);
        Assert.Null(Assert.IsType<ExpectSignal>(results[5]).Info);
        Assert.Equal(2, Assert.IsType<ExpectSignal>(results[6]).Info!.Fields.Count);
        Assert.Equal(Signal.SIGKILL, Assert.IsType<ExpectSignal>(results[7]).Signal);
        Assert.Equal("hi"u8.ToArray(), Assert.IsType<StringExpr>(Assert.IsType<ExpectValue>(results[8]).Value).Bytes);
        Assert.Equal(4, Assert.IsType<StructExpr>(Assert.IsType<ExpectValue>(results[9]).Value).Fields.Count);
        Assert.IsType<NullExpr>(Assert.IsType<ExpectValue>(results[10]).Value);
        Assert.IsType<ExpectAnything>(results[11]);
        Assert.IsType<VarExpr>(Assert.IsType<ExpectValue>(results[12]).Value);
    }

    [Fact]
    public void Errno_text_is_free()
    {
        var call = Single("munmap(0, 0) = -1 EAGAIN (it's \"anything\", really; #1)   # comment");
        Assert.Equal(Errno.EAGAIN, Assert.IsType<ExpectErrno>(call.Expected).Errno);
    }

    [Fact]
    public void A_bound_variable_in_a_result_is_compared_not_rebound()
    {
        var script = ScenarioParser.Parse("getpid() = $p\ngetpid() = $p", FileName);
        Assert.IsType<ExpectValue>(((CallStatement)script.Statements[1]).Expected);
    }

    [Theory]
    [InlineData("mmap(0, 4K PROT_READ, 0, -1, 0)", 1, 12, "expected ',' or ')', found 'PROT_READ'")]
    [InlineData("munmap(0, 4K", 1, 13, "expected ',' or ')', found end of line")]
    [InlineData("munmap(0,)", 1, 10, "expected an argument, found ')'")]
    [InlineData("munmap 0, 4K)", 1, 8, "expected '(', found '0'")]
    [InlineData("= 0", 1, 1, "expected a call name, found '='")]
    [InlineData("munmap(0, 4K) junk", 1, 15, "expected '=', '<unfinished ...>' or end of line, found 'junk'")]
    [InlineData("munmap(0, 4K) = 0 0", 1, 19, "expected end of line, found '0'")]
    [InlineData("munmap(0, 4K) =", 1, 16, "expected an argument, found end of line")]
    [InlineData("munmap(0, 4K) = 0 ;", 1, 19, "unexpected character ';'")]
    [InlineData("foo(1)", 1, 1, "unknown call 'foo'")]
    [InlineData("  munmap(0)", 1, 3, "munmap takes 2 arguments, found 1")]
    [InlineData("brk()", 1, 1, "brk takes 1 argument, found 0")]
    [InlineData("store(0)", 1, 1, "store takes 2 or 3 arguments, found 1")]
    [InlineData("fork(1)", 1, 1, "fork takes no arguments, found 1")]
    [InlineData("mprotect(0, 4K, PROT_READ|PROT_RAED)", 1, 27, "unknown symbol 'PROT_RAED'")]
    [InlineData("munmap(0, 4K) = -1 EFOO (Foo)", 1, 20, "unknown errno 'EFOO'")]
    [InlineData("munmap(0, 4K) = -1 EINVAL (Invalid argument", 1, 44, "expected ')', found end of line")]
    [InlineData("munmap($x, 4K)", 1, 8, "undefined variable $x")]
    [InlineData("munmap(0, 4K) = $x+1", 1, 17, "undefined variable $x")]
    [InlineData("[pid $c] getpid()", 1, 6, "undefined variable $c")]
    [InlineData("[tid 2] getpid()", 1, 2, "expected 'pid', found 'tid'")]
    [InlineData("[pid 2 getpid()", 1, 8, "expected ']', found 'getpid'")]
    [InlineData("munmap(12abc, 0)", 1, 8, "invalid number '12abc'")]
    [InlineData("munmap(0x, 0)", 1, 8, "invalid number '0x'")]
    [InlineData("munmap(0x10000000000000000, 0)", 1, 8, "number '0x10000000000000000' does not fit in 64 bits")]
    [InlineData("munmap(17179869184G, 0)", 1, 8, "number '17179869184G' does not fit in 64 bits")]
    [InlineData("munmap($, 0)", 1, 9, "expected a variable name after '$'")]
    [InlineData("memfd_create(42, 0)", 1, 14, "expected a string or NULL for name, found a number")]
    [InlineData("munmap(\"x\", 0)", 1, 8, "expected a number for addr, found a string")]
    [InlineData("munmap(0, NULL)", 1, 11, "expected a number for length, found NULL")]
    [InlineData("store(0, \"ab)", 1, 10, "unterminated string")]
    [InlineData("store(0, \"a\\qb\")", 1, 12, "unknown escape '\\q'")]
    [InlineData("store(0, \"a\\x4\")", 1, 12, "expected two hex digits after '\\x'")]
    [InlineData("setrlimit(RLIMIT_STACK, {rlim_cur=1})", 1, 25, "rlim needs rlim_cur and rlim_max")]
    [InlineData("setrlimit(RLIMIT_STACK, {rlim_cur=1, rlim_max=2, x=3})", 1, 50, "struct rlimit has no field 'x'")]
    [InlineData("setrlimit(RLIMIT_STACK, {rlim_cur=1, rlim_cur=2})", 1, 38, "duplicate field 'rlim_cur'")]
    [InlineData("setrlimit(RLIMIT_STACK, {})", 1, 26, "expected a field name, found '}'")]
    [InlineData("setrlimit(RLIMIT_STACK, 8M)", 1, 25, "expected {rlim_cur=..., rlim_max=...} or NULL for rlim, found a number")]
    [InlineData("getpid() = {a=1 b=2}", 1, 17, "expected ',' or '}', found 'b'")]
    [InlineData("capset({version=0, pid=0}, {effective=0, permitted=0})", 1, 28, "datap needs effective, permitted and inheritable")]
    [InlineData("capset({version=0}, NULL)", 1, 8, "hdrp needs version and pid")]
    [InlineData("capget({version=0, pid=0}, {effective=0, bogus=1})", 1, 42, "struct __user_cap_data_struct has no field 'bogus'")]
    [InlineData("capget({version=0, pid=0}, {effective=\"x\"})", 1, 39, "expected a number for effective, found a string")]
    [InlineData("capget({version=0, pid=0}, {effective=1<CAP_KILL})", 1, 40, "unexpected character '<'")]
    [InlineData("capget({version=0, pid=0}, {effective=1<<})", 1, 42, "expected a number, $variable or symbol, found '}'")]
    [InlineData("capget({version=0x1234 /* unknown, pid=0}, NULL)", 1, 24, "unterminated comment: expected '*/'")]
    [InlineData("read(3,  <unfinished ...>", 1, 1, "read() is cut short by <unfinished ...>: a later '<... read resumed>' line must give the rest of its arguments")]
    [InlineData("read(3,  <unfinished ...>\n<... read resumed>) = 0", 2, 1, "read takes 3 arguments, found 1 (line 1 and this one)")]
    [InlineData("read(3,  <unfinished ...>\n<... load resumed>..., 32) = 0", 2, 1, "expected '<... read resumed>' to complete the read() of line 1, found '<... load resumed>'")]
    [InlineData("read(3,  <unfinished ...> x", 1, 27, "expected end of line after '<unfinished ...>', found 'x'")]
    [InlineData("<... read resumed>..., 32) = 0", 1, 19, "arguments after '<... read resumed>' complete a call cut short by <unfinished ...>, and this task has none")]
    [InlineData("<... read resumed>..., 32 = 0", 1, 27, "expected ',' or ')', found '='")]
    [InlineData("read(3,  <unfinished ...>\nread(3,  <unfinished ...>\n<... read resumed>..., 32) = 0", 1, 1, "read() is cut short by <unfinished ...> but never resumed")]
    public void Malformed_statements_report_the_exact_position(string line, int lineNo, int column, string message)
    {
        var e = Malformed(line);
        Assert.Equal(new SourcePos(FileName, lineNo, column), e.Pos);
        Assert.Equal(message, e.Detail);
        Assert.Equal($"{FileName}:{lineNo}:{column}: error: {message}", e.Message);
    }

    [Fact]
    public void Errors_name_their_line()
    {
        var e = Malformed("getpid()\n# fine\nmunmap(0, 4K) = $nope+1\n");
        Assert.Equal("t.mms:3:17: error: undefined variable $nope", e.Message);
    }

    [Fact]
    public void A_variable_is_bound_only_from_its_line_on()
    {
        var e = Malformed("munmap($a, 4K)\nmmap(NULL, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a");
        Assert.Equal("t.mms:1:8: error: undefined variable $a", e.Message);
    }

    [Fact]
    public void Every_call_has_distinct_arities()
    {
        foreach (var group in CallTable.All.GroupBy(c => c.Name))
            Assert.Equal(group.Count(), group.Select(c => c.Params.Count).Distinct().Count());
    }
}
