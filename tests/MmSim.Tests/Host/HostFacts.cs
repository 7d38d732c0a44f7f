using MmSim.Abi;
using MmSim.Host;
using MmSim.Tests.Scenario;

namespace MmSim.Tests.Host;

/// <summary>Why host-kernel tests cannot run on this machine, or null when they can.</summary>
internal static class HostAvailability
{
    /// <summary>Decided by starting a target once (which also builds the runner), so that a machine where the
    /// runner cannot start skips these tests too.</summary>
    public static string? SkipReason => s_probe.Skip;

    /// <summary>Why scenarios that raise capabilities cannot run here (the runner did not start as root), or null.</summary>
    public static string? PrivilegedSkipReason => s_probe.Skip ?? s_probe.PrivilegedSkip;

    private static readonly (string? Skip, string? PrivilegedSkip) s_probe = Probe();

    private static (string?, string?) Probe()
    {
        try
        {
            using var probe = new HostTarget();
            var ret = probe.Main.Capget(new CapUserHeader(Capability._LINUX_CAPABILITY_VERSION_3, 0), wantData: true, out var caps);
            return (null, ret == 0 && caps == CapSets.ModelPermitted
                ? null
                : "the kernel runner does not hold the model's permitted capabilities (CAP_IPC_LOCK, CAP_SYS_RAWIO): it keeps them only when started as root");
        }
        catch (HostUnavailableException e)
        {
            return ($"HostTarget is unavailable here: {e.Message}", null);
        }
    }

    /// <summary>Golden files that raise capabilities with capset(): on the kernel they need the runner to start as root.</summary>
    public static bool NeedsPrivilege(string file) => File.ReadAllText(Path.Combine(RepoPaths.Root, file)).Contains("capset(", StringComparison.Ordinal);

    /// <summary>The files of <paramref name="all"/> that need privilege, or those that do not.</summary>
    public static TheoryData<string> Select(TheoryData<string> all, bool privileged)
    {
        var data = new TheoryData<string>();
        foreach (string file in all)
        {
            if (NeedsPrivilege(file) == privileged)
                data.Add(file);
        }
        return data;
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

/// <summary>A theory on this machine's kernel whose scenarios raise capabilities: the runner must have kept them.</summary>
public sealed class HostPrivilegedTheoryAttribute : TheoryAttribute
{
    public HostPrivilegedTheoryAttribute() => Skip = HostAvailability.PrivilegedSkipReason;
}
