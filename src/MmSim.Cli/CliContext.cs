using MmSim.Scenario;

namespace MmSim.Cli;

/// <summary>
/// Where the verbs write, and what they run scenarios on: the model (<c>NewTarget</c>) and, for <c>diff</c>, the
/// host's kernel (<c>NewKernelTarget</c>, which throws <see cref="HostUnavailable"/> where it cannot run).
/// <c>NewConfiguredTarget</c> makes a model of a given configuration (<c>run --ram</c>); by default a
/// <see cref="ModelTarget"/>. Tests swap in StringWriters and other targets.
/// </summary>
internal sealed record CliContext(TextWriter Output, TextWriter Error, Func<IScenarioTarget> NewTarget,
    Func<IScenarioTarget> NewKernelTarget, Func<MmSim.KernelConfig, IScenarioTarget>? NewConfiguredTarget = null)
{
    public IScenarioTarget NewModel(MmSim.KernelConfig config) => NewConfiguredTarget?.Invoke(config) ?? new ModelTarget(config);
}
