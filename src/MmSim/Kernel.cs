namespace MmSim;

/// <summary>Machine-wide configuration: the simulated RAM and the sysctls (vm.*) that mm reads.</summary>
public sealed record KernelConfig
{
    /// <summary>Simulated RAM in bytes (MemTotal). Frames are allocated lazily, so a large value costs nothing until used.</summary>
    public ulong RamBytes { get; init; } = 4UL << 30;
    /// <summary>vm.max_map_count.</summary>
    public int MaxMapCount { get; init; } = 65530;
    /// <summary>vm.overcommit_memory: 0 heuristic, 1 always, 2 never.</summary>
    public int OvercommitMemory { get; init; }
    /// <summary>vm.overcommit_ratio (percent), used when OvercommitMemory is 2.</summary>
    public int OvercommitRatio { get; init; } = 50;
    /// <summary>stack_guard_gap in bytes (kernel command line stack_guard_gap=, default 256 pages).</summary>
    public ulong StackGuardGap { get; init; } = 256UL << 12;
}

/// <summary>The simulated machine: physical memory, shmem, the process table, sysctls and counters.</summary>
public sealed partial class Kernel
{
    public KernelConfig Config { get; }

    public Kernel(KernelConfig? config = null)
    {
        Config = config ?? new KernelConfig();
        Init = null!;
    }

    /// <summary>The first process, <c>$main</c> in scenarios.</summary>
    public Process Init { get; private set; }

    public Process? FindProcess(int pid) => null;

    /// <summary>/proc/meminfo of the simulated machine.</summary>
    public string ProcMeminfo() => "";

    /// <summary>CONFIG_DEBUG_VM: recompute every invariant; throws <see cref="InvariantViolationException"/> on the first broken one.</summary>
    public void Validate() { }
}

/// <summary>A model invariant is broken: a bug in MmSim, never a user's mistake.</summary>
public sealed class InvariantViolationException(string message) : Exception(message);
