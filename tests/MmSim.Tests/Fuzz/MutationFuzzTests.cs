using System.Diagnostics;
using MmSim.Cli;
using MmSim.Scenario;
using MmSim.Tests.Scenario;

namespace MmSim.Tests.Fuzz;

/// <summary>
/// Hostile input: mutants of every golden scenario and example (see <see cref="ScenarioMutator"/>) go through
/// <c>mmsim run</c> and <c>mmsim check</c> in-process. Each must end with a documented exit (0, 1 or 2) and
/// never with a model bug, an exception or a .NET stack trace. CI runs a fixed number of mutants within a time
/// budget; MMSIM_MUTANTS and MMSIM_MUTANT_SECONDS run more, MMSIM_MUTANT_SEED starts elsewhere.
/// </summary>
public sealed class MutationFuzzTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mmsim-mutants-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static List<byte[]> Corpus() =>
    [
        .. Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "tests", "scenarios"), "*.mms", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "examples"), "*.mms"))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes),
    ];

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : fallback;

    [Fact]
    public void Mutants_of_the_golden_files_end_in_a_documented_exit_without_a_model_bug()
    {
        var corpus = Corpus();
        int count = Setting("MMSIM_MUTANTS", 1500);
        var budget = TimeSpan.FromSeconds(Setting("MMSIM_MUTANT_SECONDS", 40));
        int seed = Setting("MMSIM_MUTANT_SEED", 1);
        var clock = Stopwatch.StartNew();
        int ran = 0;
        for (int i = 0; i < count && clock.Elapsed < budget; i++, ran++)
        {
            var mutant = new ScenarioMutator(corpus, seed + i).Next();
            var path = Path.Combine(_dir, $"mutant-{seed + i}.mms");
            File.WriteAllBytes(path, mutant);
            foreach (var verb in (string[])["run", "check"])
            {
                var problem = RunOne(verb, path);
                if (problem is not null)
                {
                    var kept = Path.Combine(Path.GetTempPath(), $"mmsim-mutant-{seed + i}.mms");
                    File.Copy(path, kept, overwrite: true);
                    Assert.Fail($"mutant seed {seed + i} ({kept}), mmsim {verb}: {problem}");
                }
            }
            File.Delete(path);
        }
        Assert.True(ran >= Math.Min(count, 200), $"only {ran} mutants ran within {budget.TotalSeconds} s");
    }

    // Null when the run ended as documented; else what went wrong.
    private static string? RunOne(string verb, string path)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        int exit;
        try
        {
            // A small machine keeps a mutant that populates or faults huge ranges quick: it meets the OOM killer.
            exit = MmSimCli.Run([verb, path], new CliContext(output, error,
                () => new ModelTarget(new MmSim.KernelConfig { RamBytes = 64UL << 20 }),
                () => throw new InvalidOperationException("no kernel target in this test")));
        }
        catch (Exception e)
        {
            return $"threw {e}";
        }
        string all = output + "\n" + error;
        if (exit is not (0 or 1 or 2))
            return $"exit {exit}\n{Tail(all)}";
        if (all.Contains("model bug", StringComparison.Ordinal))
            return Tail(all[all.IndexOf("model bug", StringComparison.Ordinal)..]);
        if (all.Contains("\n   at ", StringComparison.Ordinal))
            return $"a stack trace\n{Tail(all)}";
        return null;
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : text[..2000] + "...";
}
