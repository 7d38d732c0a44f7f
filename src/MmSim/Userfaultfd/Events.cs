using MmSim.Abi;
using MmSim.Mm;

namespace MmSim.Userfaultfd;

/// <summary>
/// The events one syscall produced, in the order it produced them (userfaultfd_unmap_complete(),
/// mremap_userfaultfd_complete(), userfaultfd_remove()), and what the syscall returns once the last one is read. The
/// caller sleeps for each in turn: an event is queued only when the previous one was read.
/// </summary>
internal sealed class UffdEventBatch(List<UffdEvent> events, long result)
{
    public List<UffdEvent> Events { get; } = events;

    public long Result { get; set; } = result;

    /// <summary>The next event to queue.</summary>
    public int Next { get; set; }

    /// <summary>What to do once every event was read, instead of returning <see cref="Result"/> (madvise's zap after REMOVE).</summary>
    public Func<long>? Then { get; set; }

    /// <summary>What undoes the syscall's work when its caller dies before the last event is read (fork's child).</summary>
    public Action? Abort { get; set; }
}

// What the rest of mm tells userfaultfd about changes to registered VMAs: the hooks of include/linux/userfaultfd_k.h
// that mm/mremap.c, mm/madvise.c, mm/vma.c and kernel/fork.c call, and the non-cooperative events they produce for a
// context that asked for them (UFFD_FEATURE_EVENT_REMAP, EVENT_REMOVE, EVENT_UNMAP). The caller of the syscall
// sleeps until the monitor reads each event (in state D on Linux). fork() with UFFD_FEATURE_EVENT_FORK gives the
// child's registered VMAs a new context of their own, whose fd the monitor gets by reading the FORK event.
// Measured on 6.18: docs/kernel-notes-userfaultfd-events.md.
internal sealed partial class UserfaultfdCtx
{
    /// <summary>
    /// mremap_userfaultfd_prep(), after a successful move: the VMA at the new address keeps the registration only
    /// when the context asked for UFFD_FEATURE_EVENT_REMAP, and then the move is announced (REMAP) once mremap is
    /// done. Otherwise the registration is dropped from the whole new VMA, a neighbour the copy merged into
    /// included, and nothing merges afterwards (userfaultfd_reset_ctx()). Measured on 6.18: faults at the new
    /// address are ordinary ones, /proc/PID/smaps loses "um".
    /// </summary>
    internal static void MremapPrep(Vma newVma, ulong from, ulong to, ulong len)
    {
        if (newVma.UffdCtx is not { } ctx)
            return;
        if (ctx.Has(Uffd.UFFD_FEATURE_EVENT_REMAP))
        {
            newVma.Mm.AddUffdEvent(ctx, UffdMsg.Remap(from, to, len));
            return;
        }
        newVma.UffdCtx = null;
        newVma.Flags &= ~VmFlags.UffdFlags;
    }

    /// <summary>
    /// dup_userfaultfd(): the child's copy of a VMA registered with <paramref name="orig"/> keeps its registration
    /// only when the context asked for UFFD_FEATURE_EVENT_FORK, and then belongs to a new context for the child, one
    /// per original context, announced by a FORK event. Otherwise the copy is not registered.
    /// </summary>
    internal static void DupUserfaultfd(MmStruct parent, Vma copy, UserfaultfdCtx? orig)
    {
        if (orig is null || !orig.Has(Uffd.UFFD_FEATURE_EVENT_FORK))
        {
            copy.UffdCtx = null;
            copy.Flags &= ~VmFlags.UffdFlags;
            return;
        }
        copy.UffdCtx = parent.ForkedUffdCtx(orig, () => new UserfaultfdCtx(copy.Mm, orig));
    }

    /// <summary>
    /// A FORK event that will never be read (its context was released, or the forking task is dying): the child's
    /// VMAs lose the new context, flags only, without merging (userfaultfd_event_wait_completion()'s release_new_ctx).
    /// </summary>
    private static void ReleaseForked(UserfaultfdCtx forked)
    {
        forked.Released = true;
        for (var vma = forked.Mm.Vmas.First; vma is not null; vma = forked.Mm.Vmas.Next(vma))
        {
            if (vma.UffdCtx != forked)
                continue;
            vma.UffdCtx = null;
            vma.Flags &= ~VmFlags.UffdFlags;
            forked.Mm.UnmergedNeighboursPossible = true;
        }
    }

    /// <summary>
    /// userfaultfd_unmap_prep(): an unmap of [start, end) (the range asked for, not clipped to the VMA) that removes
    /// a VMA registered with a context asking for UFFD_FEATURE_EVENT_UNMAP: one UNMAP for that context and range.
    /// </summary>
    internal static void UnmapPrep(Vma vma, ulong start, ulong end)
    {
        if (vma.UffdCtx is { } ctx && ctx.Has(Uffd.UFFD_FEATURE_EVENT_UNMAP))
            vma.Mm.AddUffdEvent(ctx, UffdMsg.Range(Uffd.UFFD_EVENT_UNMAP, start, end), dedup: true);
    }

    /// <summary>Whether zapping [start, end) of <paramref name="vma"/> is announced first (UFFD_FEATURE_EVENT_REMOVE).</summary>
    internal static bool WantsRemove(Vma vma) => vma.UffdCtx is { } ctx && ctx.Has(Uffd.UFFD_FEATURE_EVENT_REMOVE);

    /// <summary>
    /// userfaultfd_event_wait_completion() for every event of <paramref name="batch"/>: each context counts the
    /// caller in mmap_changing until it returns; the first event is queued and the caller sleeps.
    /// </summary>
    internal static long Deliver(TaskStruct task, UffdEventBatch batch)
    {
        foreach (var ev in batch.Events)
            ev.Ctx.MmapChanging++;
        task.PendingEvents = batch;
        return QueueNext(task, batch);
    }

    /// <summary>The caller, woken (its event was read, or the context released), goes on with the next event or returns.</summary>
    internal static long Continue(TaskStruct task)
    {
        var batch = task.PendingEvents!;
        // The event it slept on is done.
        batch.Events[batch.Next - 1].Ctx.MmapChanging--;
        return QueueNext(task, batch);
    }

    private static long QueueNext(TaskStruct task, UffdEventBatch batch)
    {
        while (batch.Next < batch.Events.Count)
        {
            var (ctx, msg, forked) = batch.Events[batch.Next++];
            if (ctx.Released)
            {
                ctx.MmapChanging--;
                if (forked is not null)
                    ReleaseForked(forked);
                continue;
            }
            ctx.EventPending.Add(new UffdEventWait(msg, task, forked));
            task.Block(ctx);
            ctx.WakeReaders();
            return TaskStruct.Blocked;
        }
        task.PendingEvents = null;
        batch.Abort = null;
        if (batch.Then is { } then)
        {
            batch.Then = null;
            return then();
        }
        return batch.Result;
    }

    /// <summary>userfaultfd_event_complete(): the event was read (or lost); its caller wakes.</summary>
    private static void Complete(UffdEventWait ev) => ev.Task.WakeUp();
}
