using MmSim.Scenario;
using MmSim.Scenario.Fuzz;

namespace MmSim.Tests.Fuzz;

public sealed class ScenarioShrinkerTests
{
    private static readonly string[] s_bindings =
    [
        "brk(0) = $brk0",
        "mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)",
        "memfd_create(\"a\", 0) = $fd0",
        "fork() = $c0",
        "[pid $c0] store(0x100000000000, \"x\")",
        "ftruncate($fd0, 8K)",
        "[pid $c0] dup($fd0) = $fd1",
        "munmap(0x100000000000, 4K)",
        "[pid $c0] ftruncate($fd1, 4K)",
        "load(0x100000001000, 1) = ?",
        "close($fd0)",
    ];

    [Fact]
    public void A_failure_needing_two_statements_shrinks_to_them_and_their_bindings()
    {
        const string X = "ftruncate($fd0, 8K)";
        const string Y = "[pid $c0] ftruncate($fd1, 4K)";
        var shrunk = ScenarioShrinker.Shrink(s_bindings, s => s.Contains(X) && s.Contains(Y));
        // The dup that binds $fd1 stays, moved to $main where it does the same.
        Assert.Equal(["memfd_create(\"a\", 0) = $fd0", "fork() = $c0", X, "dup($fd0) = $fd1", Y], shrunk);
    }

    [Fact]
    public void A_statement_that_binds_goes_only_with_its_users()
    {
        var graph = new StatementGraph(s_bindings);
        Assert.Equal("fd0", graph.Binds(2));
        Assert.Equal(["c0", "fd0"], graph.Uses(6));
        // Removing the memfd_create removes every use of $fd0, and of $fd1 which dup bound from it.
        var removed = graph.RemovalClosure([2]);
        Assert.Equal([2, 5, 6, 8, 10], Enumerable.Range(0, s_bindings.Length).Where(i => removed[i]));
        // Keeping the last ftruncate keeps what binds $c0, $fd1 and, through dup, $fd0.
        var kept = graph.KeepClosure((8, 1));
        Assert.Equal([2, 3, 6, 8], Enumerable.Range(0, s_bindings.Length).Where(i => kept[i]));
    }

    /// <summary>A resumed line goes with its unfinished call, and each episode of a task pairs with its own call.</summary>
    [Fact]
    public void A_resumed_line_goes_with_its_unfinished_call()
    {
        string[] statements =
        [
            "thread() = $t",                                        // 0
            "[pid $t] touch(0x100000000000, 4K, READ) <unfinished ...>", // 1
            "read($u, ..., 32)",                                   // 2
            "[pid $t] <... touch resumed>",                        // 3
            "[pid $t] load(0x100000000000, 1) <unfinished ...>",   // 4
            "[pid $t] <... load resumed>",                         // 5
        ];
        var graph = new StatementGraph(statements);
        Assert.Equal([1, 3], Enumerable.Range(0, statements.Length).Where(i => graph.RemovalClosure([1])[i]));
        Assert.Equal([0, 4, 5], Enumerable.Range(0, statements.Length).Where(i => graph.KeepClosure((5, 1))[i]));
        // Removing the thread removes both episodes.
        Assert.Equal([0, 1, 3, 4, 5], Enumerable.Range(0, statements.Length).Where(i => graph.RemovalClosure([0])[i]));
    }

    [Fact]
    public void Variables_are_found_outside_strings_comments_and_struct_fields()
    {
        var graph = new StatementGraph(
        [
            "setrlimit(RLIMIT_AS, {rlim_cur=1G, rlim_max=RLIM_INFINITY}) = $r",
            "store(0x100000000000, \"$notavar = $x\") # $comment",
            "[pid $main] brk($r+4K) = $r",
        ]);
        Assert.Equal("r", graph.Binds(0));
        Assert.Empty(graph.Uses(1));
        Assert.Null(graph.Binds(2));
        Assert.Equal(["r"], graph.Uses(2));
    }

    /// <summary>
    /// Random pairs from generated scenarios: the result holds the pair and nothing else but what binds the
    /// variables it uses (after moving child statements to $main where that still holds), and parses.
    /// </summary>
    [Fact]
    public void Shrinking_generated_scenarios_keeps_only_what_the_failure_needs()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var statements = ScenarioShrinker.Split(ScenarioGenerator.Generate(new FuzzOptions { Seed = seed, Ops = 200, Procs = 3 })).Statements;
            var random = new FuzzRandom((ulong)seed);
            var unique = statements.GroupBy(s => s, StringComparer.Ordinal).Where(g => g.Count() == 1).Select(g => g.Key).ToList();
            var x = unique[random.Below(unique.Count)];
            var y = unique[random.Below(unique.Count)];
            var calls = 0;
            var shrunk = ScenarioShrinker.Shrink(statements, s =>
            {
                calls++;
                Assert.NotNull(ScenarioShrinker.TryParse(s));
                return s.Contains(x) && s.Contains(y);
            });

            Assert.Contains(x, shrunk);
            Assert.Contains(y, shrunk);
            var graph = new StatementGraph(shrunk);
            var needed = graph.KeepClosure((shrunk.ToList().IndexOf(x), 1));
            var alsoY = graph.KeepClosure((shrunk.ToList().IndexOf(y), 1));
            Assert.All(Enumerable.Range(0, shrunk.Count), i => Assert.True(needed[i] || alsoY[i], $"seed {seed}: {shrunk[i]} is not needed"));
            Assert.InRange(calls, 1, ScenarioShrinker.DefaultMaxTests);
        }
    }

    [Fact]
    public void The_result_always_parses_and_still_fails()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var statements = ScenarioShrinker.Split(ScenarioGenerator.Generate(new FuzzOptions { Seed = 100 + seed, Ops = 150, Procs = 4 })).Statements;
            // Fails when enough of some kinds of statement are left: a predicate with many minimal answers.
            bool StillFails(IReadOnlyList<string> s) =>
                s.Count(t => t.Contains("[pid", StringComparison.Ordinal)) + s.Count(t => t.Contains("$fd", StringComparison.Ordinal)) >= 3
                && s.Any(t => t.StartsWith("mmap", StringComparison.Ordinal));
            if (!StillFails(statements))
                continue;
            var shrunk = ScenarioShrinker.Shrink(statements, StillFails);
            Assert.NotNull(ScenarioShrinker.TryParse(shrunk));
            Assert.True(StillFails(shrunk));
            Assert.True(shrunk.Count < statements.Count);
        }
    }

    /// <summary>A real predicate: the model raises SEGV_ACCERR. Two statements remain, moved to the arena's first page.</summary>
    [Fact]
    public void A_protection_fault_shrinks_to_a_mapping_and_an_access()
    {
        var statements = ScenarioShrinker.Split(ScenarioGenerator.Generate(new FuzzOptions { Seed = 1, Ops = 200, Procs = 3 })).Statements;
        static bool Faults(IReadOnlyList<string> s)
        {
            var echo = new StringWriter();
            using var target = new ModelTarget();
            new ScenarioRunner(echo).Run(ScenarioParser.Parse(string.Join('\n', s), "fuzz.mms"), target);
            return echo.ToString().Contains("SEGV_ACCERR", StringComparison.Ordinal);
        }
        Assert.True(Faults(statements));

        var shrunk = ScenarioShrinker.Shrink(statements, Faults);

        // A mapping, perhaps an mprotect() taking its access away, and the access: nothing else survives.
        Assert.True(shrunk.Count is 2 or 3, string.Join("\n", shrunk));
        Assert.StartsWith("mmap(0x100000000000, 4K, ", shrunk[0], StringComparison.Ordinal);
        Assert.Contains("(0x100000000000", shrunk[^1], StringComparison.Ordinal);
        if (shrunk.Count == 3)
            Assert.StartsWith("mprotect(0x100000000000, 4K, ", shrunk[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Lengths_shrink_toward_a_page_and_addresses_toward_the_window_start()
    {
        string[] statements =
        [
            "mmap(0x100000010000, 64K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)",
            "load(0x100000010000, 100) = ?",
            "brk(0) = $b",
            "brk($b+40K)",
        ];
        // Fails while there is a mapping, a load of at least one byte and a brk above its start.
        var shrunk = ScenarioShrinker.Shrink(statements, s => s.Count == 4);
        Assert.Equal(
        [
            "mmap(0x100000000000, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)",
            "load(0x100000000000, 1) = ?",
            "brk(0) = $b",
            "brk($b+0)",
        ], shrunk);
    }

    [Fact]
    public void A_scenario_that_does_not_fail_comes_back_unchanged()
    {
        var calls = 0;
        var shrunk = ScenarioShrinker.Shrink(s_bindings, _ => ++calls < 0);
        Assert.Equal(s_bindings, shrunk);
        Assert.Equal(1, calls);
        Assert.Throws<ArgumentException>(() => ScenarioShrinker.Shrink(["load($nowhere, 1)"], _ => true));
    }

    [Fact]
    public void The_predicate_is_called_at_most_max_tests_times()
    {
        var statements = ScenarioShrinker.Split(ScenarioGenerator.Generate(new FuzzOptions { Seed = 5, Ops = 200 })).Statements;
        var calls = 0;
        ScenarioShrinker.Shrink(statements, s => ++calls > 0 && s.Count > 10, maxTests: 25);
        Assert.Equal(25, calls);
    }

    [Fact]
    public void Render_heads_the_statements_with_comments_and_split_takes_them_apart()
    {
        var text = ScenarioShrinker.Render(["fork() = $c0", "[pid $c0] getpid()"], "mmsim fuzz --seed 3 --ops 10\n# divergence:\n  result");
        Assert.Equal("# mmsim fuzz --seed 3 --ops 10\n# divergence:\n#   result\n\nfork() = $c0\n[pid $c0] getpid()\n", text);

        var lines = ScenarioShrinker.Split(text + "# a comment later\nmunmap(0x100000000000, 4K) = 0  # trailing \"#\"\n\n");
        Assert.Equal(["# mmsim fuzz --seed 3 --ops 10", "# divergence:", "#   result"], lines.Header);
        Assert.Equal(["fork() = $c0", "[pid $c0] getpid()", "munmap(0x100000000000, 4K) = 0"], lines.Statements);
        Assert.Equal("fork() = $c0\n", ScenarioShrinker.Render(["fork() = $c0"], ""));
    }
}
