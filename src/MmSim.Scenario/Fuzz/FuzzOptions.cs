namespace MmSim.Scenario.Fuzz;

/// <summary>What <c>mmsim fuzz</c> generates: the seed, the number of operations and the arena they work on.</summary>
public sealed record FuzzOptions
{
    /// <summary>The PRNG seed; the same seed and options give byte-identical scenarios.</summary>
    public int Seed { get; init; }

    /// <summary>How many statements to generate after the prologue (<c>brk(0) = $brk0</c>).</summary>
    public int Ops { get; init; }

    /// <summary>The most processes alive at once, <c>$main</c> included: 2 means <c>$main</c> and one child.</summary>
    public int Procs { get; init; } = 2;

    /// <summary>The arena's first address: page aligned, inside the scenario window [0x100000000000, 0x200000000000).</summary>
    public ulong ArenaBase { get; init; } = 0x100000000000;

    /// <summary>The arena's size in pages; small, so that operations collide, split and merge.</summary>
    public int ArenaPages { get; init; } = 64;

    /// <summary>
    /// Whether scenarios raise and drop CAP_IPC_LOCK with capset() (and read it back with capget()). The kernel
    /// runner holds it, permitted, only when started as root; elsewhere every such capset() would diverge.
    /// </summary>
    public bool Capabilities { get; init; }

    /// <summary>
    /// Whether scenarios use userfaultfd: handshakes, registrations, the range ioctls, reads of fault messages,
    /// and fault episodes in which a thread blocks on a registered page until the monitor resolves it.
    /// </summary>
    public bool Userfaultfd { get; init; }

    /// <summary>
    /// Whether scenarios start by turning on a small swap file (<c>swapon_file(4M)</c>, readahead off with
    /// vm.page-cluster 0), so that MADV_PAGEOUT swaps pages out and accesses fault them back in, and now and then
    /// read <c>swapinfo()</c>. The kernel runner can do this only as root.
    /// </summary>
    public bool Swap { get; init; }
}
