namespace MmSim.Tests.Fuzz;

/// <summary>
/// Model bugs the fuzzer found (6000 scenarios of 500 ops, seeds 1000-6999, arenas of 16 and 64 pages), each shrunk
/// with <see cref="MmSim.Scenario.Fuzz.ScenarioShrinker"/>. They fail until the model is fixed; they run here so
/// that they stay fixed.
/// </summary>
public sealed class FuzzFindingsTests
{
    public static TheoryData<string, string> Findings() => new()
    {
        {
            // expand_downwards() grows a VM_GROWSDOWN VMA right up to a VM_GROWSDOWN neighbour (no guard gap is
            // kept from one) and, like Linux, does not merge them; Validate() still expects the pair merged.
            "stack expansion up to an equal neighbour",
            """
            mmap(0x100000000000, 12K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_GROWSDOWN, -1, 0)
            munmap(0x100000001000, 4K)
            touch(0x100000000000, 8K, READ)
            """
        },
        {
            // dup_mmap() clears VM_LOCKED in the child without merging, as Linux does, which leaves two equal
            // neighbours there; Validate() expects them merged.
            "fork clears VM_LOCKED",
            """
            mmap(0x100000000000, 8K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_LOCKED, -1, 0)
            mmap(0x100000000000, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)
            fork() = $c
            """
        },
        {
            // dup_mmap() gives VM_WIPEONFORK VMAs no anon_vma in the child: two neighbours kept apart in the
            // parent only by their anon_vmas (one is a fork child's) become equal, and stay unmerged, as on Linux.
            "fork drops the anon_vma of VM_WIPEONFORK VMAs",
            """
            mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)
            touch(0x100000000000, 4K, WRITE)
            fork() = $c4
            [pid $c4] mmap(0x100000000000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)
            [pid $c4] fork() = $c5
            [pid $c5] madvise(0x100000000000, 8K, MADV_WIPEONFORK)
            [pid $c5] fork() = $c6
            """
        },
    };

    [Theory]
    [MemberData(nameof(Findings))]
    public void Runs_without_a_model_bug(string finding, string scenario)
    {
        var failure = ScenarioGeneratorTests.RunOnModel(scenario);
        Assert.True(failure is null, $"{finding}: {failure}");
    }
}
