using MmSim.Scenario;
using static MmSim.Tests.Scenario.ScenarioHarness;

namespace MmSim.Tests.Scenario;

/// <summary>Input meant to break the parser or the interpreter ends in an error at its place, never in a crash.</summary>
public sealed class HostileInputTests
{
    [Theory]
    [InlineData("[", "munmap(", "1, 0)")]
    [InlineData("{a=", "munmap(1, 0) = ", "1")]
    [InlineData("-", "munmap(", "1, 0)")]
    [InlineData("1+", "munmap(", "1, 0)")]
    [InlineData("1|", "munmap(", "1, 0)")]
    [InlineData("1<<", "munmap(", "1, 0)")]
    public void Deep_nesting_and_long_operator_chains_are_an_error_not_a_stack_overflow(string unit, string before, string after)
    {
        var line = before + string.Concat(Enumerable.Repeat(unit, 60_000)) + after;
        var e = Malformed(line);
        Assert.Contains($"nests deeper than {Expr.MaxDepth} levels", e.Message);
        Assert.Equal(1, e.Pos.Line);
        // The error is at the first level too deep, not at the end of the line.
        Assert.InRange(e.Pos.Column, before.Length + 1, before.Length + (Expr.MaxDepth + 1) * unit.Length + 1);
    }

    [Fact]
    public void Nesting_up_to_the_limit_parses_and_evaluates()
    {
        var chain = string.Join("+", Enumerable.Repeat("1", Expr.MaxDepth - 2));
        Assert.Equal(Expr.MaxDepth - 2, Evaluate(chain));
        Assert.Equal(-5, Evaluate(string.Concat(Enumerable.Repeat("-", 500)) + "-5"));
    }

    [Fact]
    public void A_struct_of_many_fields_parses_in_linear_time()
    {
        var fields = string.Join(", ", Enumerable.Range(0, 100_000).Select(i => $"f{i}=0"));
        var script = ScenarioParser.Parse($"smaps(0) = {{{fields}}}", FileName);
        Assert.Single(script.Statements);
        var e = Malformed("smaps(0) = {a=1, b=2, a=3}");
        Assert.Equal("t.mms:1:23: error: duplicate field 'a'", e.Message);
    }

    [Fact]
    public void Invalid_utf8_is_an_error_at_its_line_and_column()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [.. "getpid()\nstore(0x1000, \"é"u8, 0xff, .. "\")\n"u8]);
            var e = Assert.Throws<ScenarioSyntaxException>(() => ScenarioParser.ParseFile(path));
            Assert.Equal($"{path}:2:17: error: invalid UTF-8 (byte 0xFF); write raw bytes in a string as \\xNN", e.Message);

            File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "store(0x1000, \"é\\xff\")\n"u8]);
            var call = (CallStatement)Assert.Single(ScenarioParser.ParseFile(path).Statements);
            Assert.Equal([0xC3, 0xA9, 0xFF], Assert.IsType<StringExpr>(call.Args[1]).Bytes);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Control_characters_in_messages_are_escaped()
    {
        var e = Malformed("getpid(\0) = 1");
        Assert.Equal("t.mms:1:8: error: unexpected character '\\x00'", e.Message);
        Assert.Equal("t.mms:1:12: error: unknown escape '\\\\x1b'", Malformed("store(0, \"a\\\u001b[31m\")").Message);
        Assert.Equal("a\\x07b\\u{202e}c\tü", SourceText.Printable("a\u0007b\u202Ec\tü"));
    }

    [Fact]
    public void A_pid_prefix_outside_the_range_of_pids_names_no_process()
    {
        var failure = Fail("[pid 0x100000001] getpid() = 1");
        Assert.Equal(ScenarioFailureKind.RuntimeError, failure.Kind);
        Assert.Equal("t.mms:1: error: no process has pid 4294967297", failure.Summary);
        Assert.Equal("t.mms:2: error: no process has pid -1", Fail("getpid() = 1\n[pid -1] getpid() = 1").Summary);
    }

    [Fact]
    public void An_expectation_that_cannot_be_evaluated_is_an_error_of_the_scenario()
    {
        var failure = Fail("getpid() = 1<<300000");
        Assert.Equal(ScenarioFailureKind.RuntimeError, failure.Kind);
        Assert.Equal("t.mms:1: error: shift count 300000 is not in 0..63", failure.Summary);
    }

    [Fact]
    public void Under_diff_an_unbound_variable_is_reported_once_with_its_column()
    {
        // diff goes on past a failed binding (both sides failed alike), so a later use finds the name unbound.
        var script = ScenarioParser.Parse("mmap(0x1000, 0, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $b\nmunmap($b, 4K)", FileName);
        using var l = new ModelTarget();
        using var r = new ModelTarget();
        var result = new MmSim.Scenario.Diff.ScenarioDiffer(MmSim.Scenario.Diff.KnownDifferences.Default).Run(script, l, r);
        Assert.Equal("t.mms:2: error: $b (column 8) is not bound: the statement that binds it failed", result.Error?.Summary);
    }
}
