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

    /// <summary>Why scenarios that need root on the kernel cannot run here, or null.</summary>
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
                : "not root: the kernel runner does not hold the model's permitted capabilities (CAP_IPC_LOCK, CAP_SYS_RAWIO, CAP_SYS_PTRACE), and meminfo()'s counters cannot be settled");
        }
        catch (HostUnavailableException e)
        {
            return ($"HostTarget is unavailable here: {e.Message}", null);
        }
    }

    /// <summary>
    /// Golden files that need root on the kernel: those that raise capabilities with capset() (the runner keeps
    /// them only when started as root), those that compare meminfo() (exact only after stat_refresh), and those that
    /// turn swap on, set a sysctl or read page flags (PFNs).
    /// </summary>
    public static bool NeedsPrivilege(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, file));
        return text.Contains("capset(", StringComparison.Ordinal) || text.Contains("meminfo(", StringComparison.Ordinal)
            || text.Contains("swapon_file(", StringComparison.Ordinal) || text.Contains("sysctl(", StringComparison.Ordinal)
            || text.Contains("pageflags(", StringComparison.Ordinal);
    }

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

/// <summary>
/// The tests that run scenarios on this machine's kernel run one at a time: meminfo()'s Mlocked and Unevictable
/// are machine-wide, and a scenario locking memory alongside would move them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HostKernelCollection
{
    public const string Name = "host kernel";
}
