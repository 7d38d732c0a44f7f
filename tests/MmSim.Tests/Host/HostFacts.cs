using MmSim.Host;

namespace MmSim.Tests.Host;

/// <summary>Why host-kernel tests cannot run on this machine, or null when they can.</summary>
internal static class HostAvailability
{
    /// <summary>Decided by starting a target once (which also builds the runner), so that a machine where the
    /// runner cannot start skips these tests too.</summary>
    public static string? SkipReason { get; } = Probe();

    private static string? Probe()
    {
        try
        {
            using var probe = new HostTarget();
            return null;
        }
        catch (HostUnavailableException e)
        {
            return $"HostTarget is unavailable here: {e.Message}";
        }
    }
}

/// <summary>A fact that runs on this machine's kernel; skipped, with the reason, where that is impossible.</summary>
public sealed class HostFactAttribute : FactAttribute
{
    public HostFactAttribute() => Skip = HostAvailability.SkipReason;
}

/// <summary>A theory that runs on this machine's kernel; skipped, with the reason, where that is impossible.</summary>
public sealed class HostTheoryAttribute : TheoryAttribute
{
    public HostTheoryAttribute() => Skip = HostAvailability.SkipReason;
}
