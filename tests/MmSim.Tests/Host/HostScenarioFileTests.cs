using MmSim.Host;
using MmSim.Scenario;
using MmSim.Tests.Scenario;

namespace MmSim.Tests.Host;

/// <summary>
/// Every golden scenario (tests/scenarios/**/*.mms, examples/**/*.mms) run on this machine's kernel. The files
/// were checked against this kernel when they were written, so each must pass here as it does on the model.
/// </summary>
[Collection(HostKernelCollection.Name)]
public sealed class HostScenarioFileTests
{
    public static TheoryData<string> Scenarios() => HostAvailability.Select(ScenarioFileTests.Scenarios(), privileged: false);

    public static TheoryData<string> PrivilegedScenarios() => HostAvailability.Select(ScenarioFileTests.Scenarios(), privileged: true);

    [HostTheory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_passes_on_the_host_kernel(string scenario) => Run(scenario);

    [HostPrivilegedTheory]
    [MemberData(nameof(PrivilegedScenarios))]
    public void Privileged_scenario_passes_on_the_host_kernel(string scenario) => Run(scenario);

    private static void Run(string scenario)
    {
        var script = ScenarioParser.ParseFile(Path.Combine(RepoPaths.Root, scenario));
        var (result, echo) = RunOnce(script);
        // Other processes on the CPU drain the folio batches that decide a page's LRU state at times no scenario
        // controls: a failure must show twice to count (as HostDiffTests and the fuzzer require).
        if (!result.Passed)
            (result, echo) = RunOnce(script);
        Assert.True(result.Passed, $"{result.Failure}\n--- echo ---\n{echo}");
    }

    private static (ScenarioRunResult, StringWriter) RunOnce(ScenarioScript script)
    {
        var echo = new StringWriter { NewLine = "\n" };
        using var target = new HostTarget();
        return (new ScenarioRunner(echo).Run(script, target), echo);
    }
}
