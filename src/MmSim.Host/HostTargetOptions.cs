namespace MmSim.Host;

/// <summary>How a <see cref="HostTarget"/> builds its runner and how long it waits for a statement.</summary>
public sealed record HostTargetOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long one statement may take before it is cut off and reported as timed out.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>
    /// How long a call may take before the target looks whether its task sleeps in the kernel: a call that has not
    /// returned by then while its thread sleeps is blocked (<c>&lt;unfinished ...&gt;</c>). A call that still runs is
    /// waited for, up to <see cref="Timeout"/>. Default 200 ms.
    /// </summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The C compiler: a path, or a name looked up in PATH. Default: <c>$CC</c>, else <c>cc</c>.</summary>
    public string? Compiler { get; init; }

    /// <summary>Where the compiled runner is kept. Default: <c>$XDG_CACHE_HOME/mmsim</c>, else
    /// <c>~/.cache/mmsim</c>, else a directory under the OS temp dir.</summary>
    public string? CacheDirectory { get; init; }
}
