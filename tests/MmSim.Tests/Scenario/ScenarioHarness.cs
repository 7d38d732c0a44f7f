using MmSim.Scenario;

namespace MmSim.Tests.Scenario;

internal static class ScenarioHarness
{
    public const string FileName = "t.mms";

    /// <summary>Parses and runs <paramref name="text"/> with validation after every statement; returns the result and the echo.</summary>
    public static (ScenarioRunResult Result, string Echo) Run(string text, IScenarioTarget? target = null)
    {
        var script = ScenarioParser.Parse(text, FileName);
        var echo = new StringWriter { NewLine = "\n" };
        using var system = target ?? new FakeTarget();
        var result = new ScenarioRunner(echo, new ScenarioRunOptions { Validate = true }).Run(script, system);
        return (result, echo.ToString());
    }

    /// <summary>Runs a scenario that must pass, and returns its echo.</summary>
    public static string Pass(string text, IScenarioTarget? target = null)
    {
        var (result, echo) = Run(text, target);
        Assert.True(result.Passed, $"{result.Failure}\n--- echo ---\n{echo}");
        return echo;
    }

    public static ScenarioFailure Fail(string text, IScenarioTarget? target = null)
    {
        var (result, echo) = Run(text, target);
        Assert.False(result.Passed, $"expected a failure\n--- echo ---\n{echo}");
        return result.Failure!;
    }

    public static ScenarioSyntaxException Malformed(string text) =>
        Assert.Throws<ScenarioSyntaxException>(() => ScenarioParser.Parse(text, FileName));

    /// <summary>The number an argument expression evaluates to, with <c>$a</c> bound to 0x1000.</summary>
    public static long Evaluate(string expr)
    {
        var script = ScenarioParser.Parse($"getpid() = $a\nmunmap({expr}, 0)", FileName);
        var arg = ((CallStatement)script.Statements[1]).Args[0];
        var value = ScenarioRunner.Evaluate(arg, new Dictionary<string, long> { ["a"] = 0x1000, ["main"] = 1 });
        return Assert.IsType<NumberValue>(value).Value;
    }
}
