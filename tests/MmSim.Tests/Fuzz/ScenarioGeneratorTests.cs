using MmSim.Scenario;
using MmSim.Scenario.Fuzz;

namespace MmSim.Tests.Fuzz;

public sealed class ScenarioGeneratorTests
{
    private const int Scenarios = 200;
    private const int OpsPerScenario = 200;

    [Fact]
    public void The_same_seed_gives_the_same_text()
    {
        var options = new FuzzOptions { Seed = 42, Ops = 300, Procs = 3 };
        Assert.Equal(ScenarioGenerator.Generate(options), ScenarioGenerator.Generate(options with { }));
    }

    [Fact]
    public void Different_seeds_give_different_scenarios()
    {
        var texts = Enumerable.Range(0, 20)
            .Select(seed => string.Join('\n', ScenarioShrinker.Split(ScenarioGenerator.Generate(new FuzzOptions { Seed = seed, Ops = 50 })).Statements))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(20, texts.Count);
    }

    /// <summary>SplitMix64's published sequence: a seed must name the same scenario on every .NET version.</summary>
    [Fact]
    public void The_prng_is_splitmix64()
    {
        var random = new FuzzRandom(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.Next());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.Next());
        Assert.Equal(0x06C45D188009454FUL, random.Next());
    }

    [Fact]
    public void The_header_names_the_options_and_the_prologue_binds_the_break()
    {
        var lines = ScenarioShrinker.Split(ScenarioGenerator.Generate(new FuzzOptions { Seed = 3, Ops = 25, Procs = 4 }));
        Assert.Equal("# mmsim fuzz --seed 3 --ops 25 --procs 4", lines.Header[0]);
        Assert.Equal(ScenarioGenerator.Prologue, lines.Statements[0]);
        Assert.Equal(26, lines.Statements.Count);
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ScenarioGenerator.Generate(new FuzzOptions { Ops = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScenarioGenerator.Generate(new FuzzOptions { Ops = 1, Procs = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScenarioGenerator.Generate(new FuzzOptions { Ops = 1, ArenaBase = 0x7000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScenarioGenerator.Generate(new FuzzOptions { Ops = 1, ArenaBase = 0x100000000001 }));
    }

    [Fact]
    public void Every_op_of_the_mix_is_generated()
    {
        var calls = new HashSet<string>(StringComparer.Ordinal);
        for (var seed = 0; seed < 20; seed++)
        {
            var script = ScenarioParser.Parse(ScenarioGenerator.Generate(new FuzzOptions { Seed = seed, Ops = 300, Procs = 3 }), "fuzz.mms");
            foreach (var statement in script.Statements.OfType<CallStatement>())
                calls.Add(statement.Call.Name);
        }
        var expected = ScenarioGenerator.Ops.Select(op => op.Name.Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(calls, expected);
    }

    /// <summary>
    /// Generated scenarios parse and run to the end on the model with validation after every statement: no
    /// model bug (invariant violation or exception) and no runtime error (which would mean the generator
    /// wrote an invalid scenario, e.g. one naming a dead process). Bindings cannot fail, so each one passes.
    /// </summary>
    [Fact]
    public void Generated_scenarios_run_on_the_model()
    {
        var failures = new List<string>();
        Parallel.For(0, Scenarios, seed =>
        {
            var options = new FuzzOptions { Seed = seed, Ops = OpsPerScenario, Procs = 2 + (seed % 3) };
            var text = ScenarioGenerator.Generate(options);
            var failure = RunOnModel(text);
            if (failure is not null)
            {
                lock (failures)
                    failures.Add($"seed {seed} (--procs {options.Procs}): {failure}");
            }
        });
        Assert.True(failures.Count == 0, string.Join("\n", failures.Order(StringComparer.Ordinal)));
    }

    internal static ScenarioFailure? RunOnModel(string text)
    {
        var script = ScenarioParser.Parse(text, "fuzz.mms");
        using var target = new ModelTarget();
        return new ScenarioRunner(TextWriter.Null, new ScenarioRunOptions { Validate = true }).Run(script, target).Failure;
    }
}
