using MmSim.Host;
using MmSim.Scenario;
using MmSim.Scenario.Diff;
using MmSim.Scenario.Fuzz;
using MmSim.Tests.Diff;
using MmSim.Tests.Scenario;

namespace MmSim.Tests.Host;

/// <summary>The model against this machine's kernel: every golden scenario under diff, and a fuzz budget.</summary>
[Collection(HostKernelCollection.Name)]
public class HostDiffTests
{
    public static TheoryData<string> Goldens() => HostAvailability.Select(ScenarioDifferTests.Goldens(), privileged: false);

    public static TheoryData<string> PrivilegedGoldens() => HostAvailability.Select(ScenarioDifferTests.Goldens(), privileged: true);

    [HostTheory]
    [MemberData(nameof(Goldens))]
    public void GoldenScenarioBehavesAsTheKernel(string file) => Diff(file);

    [HostPrivilegedTheory]
    [MemberData(nameof(PrivilegedGoldens))]
    public void PrivilegedGoldenScenarioBehavesAsTheKernel(string file) => Diff(file);

    private static void Diff(string file)
    {
        var script = ScenarioParser.ParseFile(Path.Combine(RepoPaths.Root, file));
        var result = DiffOnce(script);
        // A real machine is not quiet: other processes on the CPU drain the folio batches that decide a page's LRU
        // state (smaps Referenced, LazyFree) at times no scenario controls. A divergence must show twice to count,
        // as the fuzzer requires.
        if (!result.Same && result.Error is null)
            result = DiffOnce(script);
        Assert.True(result.Same, result.Divergence?.Render() ?? result.Error?.ToString());
    }

    private static DiffResult DiffOnce(ScenarioScript script)
    {
        using var model = new ModelTarget();
        using var kernel = new HostTarget();
        return new ScenarioDiffer(KnownDifferences.Default).Run(script, model, kernel);
    }

    /// <summary>
    /// CI's fuzz budget: 20,000 generated operations (100 scenarios of 200) diffed against the kernel. A
    /// divergence fails with its shrunk scenario, ready to become a golden file under tests/scenarios/fuzz.
    /// </summary>
    [HostFact]
    public void FuzzBudgetFindsNoDivergence()
    {
        var fuzzer = new Fuzzer(() => new ModelTarget(), () => new HostTarget(), KnownDifferences.Default);
        var findings = new List<string>();
        for (int seed = 1; seed <= 100; seed++)
        {
            bool root = HostAvailability.PrivilegedSkipReason is null;
            var options = new FuzzOptions { Seed = seed, Ops = 200, Procs = 3, Capabilities = root, Swap = root };
            if (fuzzer.RunOne(options) is { } finding)
                findings.Add(finding.Report + finding.Render());
        }
        Assert.True(findings.Count == 0, string.Join("\n\n", findings));
    }
}
