namespace MmSim.Cli;

/// <summary>mmsim's exit status.</summary>
public enum ExitCode
{
    /// <summary>Every expectation held.</summary>
    Passed = 0,
    /// <summary>A scenario stopped at an unmet expectation, or found a model bug.</summary>
    Failed = 1,
    /// <summary>A malformed scenario file, a missing file or bad usage: nothing of that file ran.</summary>
    BadInput = 2,
}
