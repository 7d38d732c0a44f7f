using MmSim.Scenario;

namespace MmSim.Cli;

/// <summary>Where the verbs write, and what they run scenarios on; tests swap in a StringWriter.</summary>
internal sealed record CliContext(TextWriter Output, TextWriter Error, Func<IScenarioTarget> NewTarget);
