using MmSim.Scenario;

namespace MmSim.Cli;

/// <summary>
/// Where the verbs write, and what they run scenarios on: the model (<c>NewTarget</c>) and, for <c>diff</c>, the
/// host's kernel (<c>NewKernelTarget</c>, which throws <see cref="HostUnavailable"/> where it cannot run).
/// Tests swap in StringWriters and other targets.
/// </summary>
internal sealed record CliContext(TextWriter Output, TextWriter Error, Func<IScenarioTarget> NewTarget,
    Func<IScenarioTarget> NewKernelTarget);
