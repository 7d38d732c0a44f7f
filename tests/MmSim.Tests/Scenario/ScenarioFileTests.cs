using MmSim.Scenario;

namespace MmSim.Tests.Scenario;

/// <summary>Every golden scenario (tests/scenarios/**/*.mms, examples/**/*.mms) is one test case, run on the model
/// with its invariants validated after every statement.</summary>
public sealed class ScenarioFileTests
{
    private static readonly string[] s_roots = ["tests/scenarios", "examples"];

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        var files = s_roots
            .Select(r => Path.Combine(RepoPaths.Root, r))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.mms", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(RepoPaths.Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
            data.Add(file);
        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_passes(string scenario)
    {
        var script = ScenarioParser.ParseFile(Path.Combine(RepoPaths.Root, scenario));
        var echo = new StringWriter();
        using var target = new ModelTarget();
        var result = new ScenarioRunner(echo, new ScenarioRunOptions { Validate = true }).Run(script, target);
        Assert.True(result.Passed, $"{result.Failure}\n--- echo ---\n{echo}");
    }
}
