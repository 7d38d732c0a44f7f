using System.Text.RegularExpressions;
using MmSim.Scenario;
using MmSim.Tests.Scenario;

namespace MmSim.Tests.Model;

/// <summary>/proc text compared byte for byte with what Linux 6.18 printed for the same calls.</summary>
public partial class ProcTextGoldenTests
{
    [GeneratedRegex(@"00:01 \d+ +")]
    private static partial Regex ShmemInode();

    /// <summary>The lines of the VMAs in the scenario arena (0x1000_0000_0000 and up, below 0x2000_0000_0000).</summary>
    private static string ArenaEntries(string smaps)
    {
        var sb = new System.Text.StringBuilder();
        bool inArena = false;
        foreach (var line in smaps.Split('\n'))
        {
            if (Regex.IsMatch(line, "^[0-9a-f]+-[0-9a-f]+ "))
                inArena = line.StartsWith("1000", StringComparison.Ordinal);
            if (inArena && line.Length > 0)
                sb.Append(line).Append('\n');
        }
        return ShmemInode().Replace(sb.ToString(), "00:01 INO ");
    }

    [Fact]
    public void SmapsOfTenKindsOfVmaMatchTheKernel()
    {
        string dir = Path.Combine(RepoPaths.Root, "tests", "golden");
        var script = ScenarioParser.ParseFile(Path.Combine(dir, "smaps-kinds.mms"));
        using var target = new ModelTarget();
        var result = new ScenarioRunner(TextWriter.Null, new ScenarioRunOptions { Validate = true }).Run(script, target);
        Assert.True(result.Passed, result.Failure?.ToString());
        string expected = ArenaEntries(File.ReadAllText(Path.Combine(dir, "smaps-kinds.smaps")));
        string actual = ArenaEntries(target.Kernel.Init.ProcSmaps());
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void SmapsRollupOfAProcessWithNoVmaMatchesTheKernel()
    {
        // smaps-rollup-empty.c captured the kernel's text: a traced child that unmapped everything.
        string expected = File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "golden", "smaps-rollup-empty.txt"));
        var k = new Kernel();
        Assert.Equal(0, k.Init.Munmap(0, 0x7ffffffff000));
        Assert.Equal(expected, k.Init.ProcSmapsRollup());
        k.Validate();

        // As a scenario result, too: it used to be a model bug ("empty smaps entry").
        using var target = new ModelTarget();
        var script = ScenarioParser.Parse("munmap(0, 0x7ffffffff000) = 0\nsmaps_rollup() = {start=0, end=0, Rss=0, Locked=0}", "t.mms");
        var result = new ScenarioRunner(TextWriter.Null, new ScenarioRunOptions { Validate = true }).Run(script, target);
        Assert.True(result.Passed, result.Failure?.ToString());
    }
}
