using MmSim.Abi;
using MmSim.Mm;

namespace MmSim.Userfaultfd;

// What the rest of mm tells userfaultfd about changes to registered VMAs: the hooks of include/linux/userfaultfd_k.h
// that mm/mremap.c, mm/madvise.c, mm/mmap.c and kernel/fork.c call. The non-cooperative events themselves
// (UFFD_EVENT_FORK, REMAP, REMOVE, UNMAP) are not modelled yet: a context that asked for one keeps its
// registration where Linux would, but hears nothing.
internal sealed partial class UserfaultfdCtx
{
    /// <summary>
    /// mremap_userfaultfd_prep(), after a successful move: the VMA at the new address keeps the registration only
    /// when the context asked for UFFD_FEATURE_EVENT_REMAP. Otherwise it is dropped from the whole new VMA, a
    /// neighbour the copy merged into included, and nothing merges afterwards (userfaultfd_reset_ctx()).
    /// Measured on 6.18: faults at the new address are ordinary ones, /proc/PID/smaps loses "um".
    /// </summary>
    internal static void MremapPrep(Vma newVma)
    {
        if (newVma.UffdCtx is not { } ctx || ctx.Has(Uffd.UFFD_FEATURE_EVENT_REMAP))
            return;
        newVma.UffdCtx = null;
        newVma.Flags &= ~VmFlags.UffdFlags;
    }
}
