using System.Globalization;
using System.Text;

namespace MmSim.Scenario.Fuzz;

// The scenario generator behind `mmsim fuzz`: random but valid *.mms scenarios for `mmsim diff` to run on the
// model and on the kernel side by side.
//
// What it covers. Every statement works on one small arena at a fixed address (FuzzOptions.ArenaBase, 64 pages
// by default), so calls collide, split, merge and fault on each other's VMAs:
//   - mmap: private and shared anonymous, memfd MAP_SHARED / MAP_PRIVATE / MAP_SHARED_VALIDATE at page offsets,
//     always MAP_FIXED or MAP_FIXED_NOREPLACE inside the arena; now and then MAP_POPULATE, MAP_NORESERVE,
//     MAP_LOCKED, MAP_STACK, MAP_GROWSDOWN; PROT_NONE/READ/WRITE/EXEC mixes; and bad arguments for the errno
//     paths of do_mmap() (an unaligned address or offset, length 0 or -4K, no map type, a closed fd);
//   - mremap: shrinks, growth in place (no MREMAP_MAYMOVE), moves with MREMAP_FIXED inside the arena (with a
//     size change, with MREMAP_DONTUNMAP, over several VMAs, old_size 0), and bad flag combinations;
//   - munmap, mprotect (ranges with holes, bad prot bits, PROT_GROWSDOWN), madvise (every advice the model
//     implements, and an invalid one), msync (each flag mix, MS_ASYNC|MS_SYNC included), mincore (with its
//     vector inside the arena), each with an occasional unaligned start or zero length;
//   - mlock, mlock2 (MLOCK_ONFAULT, 0, an invalid flag) and munlock over arena ranges;
//   - mlockall(MCL_FUTURE) and mlockall(MCL_FUTURE|MCL_ONFAULT), so that later mmap and brk are locked (and
//     so is the growth of a MAP_GROWSDOWN mapping made then); mlockall with flags it refuses (0, MCL_ONFAULT
//     alone, an unknown bit); munlockall;
//   - brk relative to the break the first statement binds (brk(0) = $brk0), up, down, unaligned, below start;
//   - memfd_create (= $fdN), ftruncate growing and shrinking (SIGBUS past the end), close, dup (= $fdN);
//   - fork (= $cN) up to FuzzOptions.Procs live processes; statements then run in [pid $cN]; a child ends
//     with exit_group or is killed with SIGKILL by $main, and is never named again;
//   - store/load/touch on arena pages (mostly pages the process probably has mapped) and near the break;
//     loads carry no expectation: diff compares the bytes itself;
//   - smaps(addr) and vma_count(lo, hi) over the arena; rarely setrlimit(RLIMIT_AS/DATA/MEMLOCK);
//   - with FuzzOptions.Capabilities, capset() raising or dropping CAP_IPC_LOCK in the effective set (so that
//     RLIMIT_MEMLOCK is lifted and applies again), now and then one refused with EPERM, and capget();
//   - with FuzzOptions.Swap, a 4 MiB swap file from the start, so that MADV_PAGEOUT (madvise and process_madvise)
//     swaps pages out and later accesses, forks, zaps and frees deal with swap entries; swapinfo() now and then;
//   - with FuzzOptions.Userfaultfd, userfaultfd work and fault episodes in which a thread blocks: the rules that
//     keep those valid are at the top of GeneratorState.Userfaultfd.cs.
//
// What it avoids, and why: anything whose result may differ between the model and a kernel for reasons
// outside mm.
//   - mmap(NULL), hints without MAP_FIXED and mremap moves without MREMAP_FIXED: where the kernel places them depends on what the host runner
//     has mapped already; only the arena is known to be free on both.
//   - Absolute addresses outside the arena (other than brk-relative ones): the runner's own libc, stack and
//     heap live there. For the same reason, accesses and mincore vectors stay inside the arena.
//   - Variables that might be unbound: memfd_create, dup and fork bind only where they cannot fail (a valid
//     name, at most MaxFdsPerProcess fds, fewer than Procs processes); an fd is used only in a process whose
//     fd table holds it, and a child only while it is alive, so a scenario never hits a RuntimeError.
//   - Signals other than SIGKILL, and kill(0/-1): the runner's processes may handle signals, and a group
//     kill would end $main.
//   - mlockall(MCL_CURRENT), even in a mix that fails: on the kernel it would lock, count and populate the
//     host runner's own mappings (libc, ld.so, its stack), which the model does not have.
//   - setrlimit that raises a hard limit (EPERM only because of the host's limits), RLIMIT_AS/DATA values a
//     host runner's own mappings could reach (they set 1G or more), brk growth beyond 128K.
//   - pageflags(): a folio's LRU state depends on per-CPU batches that other processes fill too. MFD_HUGETLB, MAP_HUGETLB,
//     MFD_EXEC/MFD_NOEXEC_SEAL (they depend on the vm.memfd_noexec sysctl): known gaps, not divergences.
//   - THP: the arena is smaller than a PMD, so MADV_HUGEPAGE cannot let khugepaged change anything behind the
//     scenario's back.
//
// The op mix is s_ops below: a weight per operation. A new syscall (mremap, mlock, ...) is one entry there and
// one method on GeneratorState.

/// <summary>Generates random, valid scenarios for <c>mmsim fuzz</c>; see the comment at the top of this file.</summary>
public static class ScenarioGenerator
{
    /// <summary>The scenario window in which MAP_FIXED_NOREPLACE always finds free space (README).</summary>
    public const ulong WindowStart = 0x100000000000;

    public const ulong WindowEnd = 0x200000000000;

    /// <summary>The first statement: it binds the break that brk() and heap accesses are relative to.</summary>
    public const string Prologue = "brk(0) = $brk0";

    /// <summary>With <see cref="FuzzOptions.Swap"/>: a small swap file, and no readahead (its state is machine-wide on a kernel).</summary>
    public const string SwapPrologue = "swapon_file(4M) = 0\nsysctl(\"vm.page-cluster\", 0) = 0";

    // Drawn only with FuzzOptions.Capabilities, so that scenarios without it stay as they were.
    private const string CapsetOp = "capset";

    private static readonly FuzzOp[] s_ops =
    [
        new("mmap", 14, g => g.MmapAnonymous()),
        new("mmap memfd", 6, g => g.MmapMemfd()),
        new("mmap invalid", 2, g => g.MmapInvalid()),
        new("munmap", 7, g => g.Munmap()),
        new("mremap", 7, g => g.Mremap()),
        new("mprotect", 8, g => g.Mprotect()),
        new("madvise", 8, g => g.Madvise()),
        new("process_madvise", 3, g => g.ProcessMadvise()),
        new("mlock", 4, g => g.Mlock()),
        new("mlockall", 2, g => g.Mlockall()),
        new("msync", 3, g => g.Msync()),
        new("mincore", 3, g => g.Mincore()),
        new("brk", 3, g => g.Brk()),
        new("memfd_create", 2, g => g.MemfdCreate()),
        new("ftruncate", 3, g => g.Ftruncate()),
        new("close", 1, g => g.Close()),
        new("dup", 1, g => g.Dup()),
        new("fork", 2, g => g.Fork()),
        new("exit_group", 1, g => g.ExitGroup()),
        new("kill", 1, g => g.Kill()),
        new("store", 12, g => g.Store()),
        new("load", 7, g => g.Load()),
        new("touch", 6, g => g.Touch()),
        new("smaps", 4, g => g.Smaps()),
        new("vma_count", 3, g => g.VmaCount()),
        new("swapinfo", 1, g => g.SwapInfo()),
        new("setrlimit", 1, g => g.Setrlimit()),
        new(CapsetOp, 2, g => g.Capset()),
        new("userfaultfd", 3, g => g.Userfaultfd()),
        new("uffd register", 8, g => g.UffdRegister()),
        new("uffd unregister", 2, g => g.UffdUnregister()),
        new("uffd fill", 5, g => g.UffdFill()),
        new("uffd read", 2, g => g.UffdRead()),
        new("uffd poll", 2, g => g.UffdPoll()),
        new("uffd close", 1, g => g.UffdClose()),
        new("uffd fault", 12, g => g.UffdFault()),
        new("uffd events", 10, g => g.UffdEvents()),
    ];

    /// <summary>Whether an op is in the mix these options ask for: capset and userfaultfd ones only on request.</summary>
    private static bool InMix(FuzzOp op, FuzzOptions options) => op.Name switch
    {
        CapsetOp => options.Capabilities,
        "swapinfo" => options.Swap,
        "userfaultfd" or ['u', 'f', 'f', 'd', ' ', ..] => options.Userfaultfd,
        _ => true,
    };

    /// <summary>The op mix: each operation's name and weight (out of their sum).</summary>
    internal static IReadOnlyList<FuzzOp> Ops => s_ops;

    /// <summary>
    /// A scenario of a comment header, <see cref="Prologue"/> and <see cref="FuzzOptions.Ops"/> statements, one
    /// per line. The same options give byte-identical text.
    /// </summary>
    public static string Generate(FuzzOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(options);
        var state = new GeneratorState(options);
        var arenaEnd = options.ArenaBase + ((ulong)options.ArenaPages << 12);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# mmsim fuzz --seed {options.Seed} --ops {options.Ops} --procs {options.Procs}")
            .Append(options.Capabilities ? " --capabilities" : "").Append(options.Userfaultfd ? " --userfaultfd" : "")
            .Append(options.Swap ? " --swap" : "").Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"# arena [0x{options.ArenaBase:x}, 0x{arenaEnd:x}), {options.ArenaPages} pages\n");
        text.Append(Prologue).Append('\n');
        if (options.Swap)
            text.Append(SwapPrologue).Append('\n');
        var weights = s_ops.Where(op => InMix(op, options)).Select(op => (op, op.Weight)).ToArray();
        for (var i = 0; i < options.Ops; i++)
        {
            string? statement;
            // An op that does not apply now (close with no fd open) returns null: draw again. store always applies.
            do
                statement = state.Random.Weighted(weights).Emit(state);
            while (statement is null);
            text.Append(statement).Append('\n');
        }
        return text.ToString();
    }

    private static void Check(FuzzOptions options)
    {
        if (options.Ops < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.Ops, "Ops must not be negative");
        if (options.Procs < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Procs, "Procs counts $main: at least 1");
        if (options.ArenaPages is < 4 or > 1 << 20)
            throw new ArgumentOutOfRangeException(nameof(options), options.ArenaPages, "ArenaPages must be in [4, 2^20]");
        var end = options.ArenaBase + ((ulong)options.ArenaPages << 12);
        if ((options.ArenaBase & 4095) != 0 || options.ArenaBase < WindowStart || end > WindowEnd)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"0x{options.ArenaBase:x}",
                "the arena must be page aligned and inside [0x100000000000, 0x200000000000)");
        }
    }
}
