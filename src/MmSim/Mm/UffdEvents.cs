using MmSim.Userfaultfd;

namespace MmSim.Mm;

// The userfaultfd events a syscall produces while it changes the mm (the "uf" lists mm/vma.c and mm/mremap.c pass
// down): collected here during the call, delivered by the syscall's caller once the mm change is done.
internal sealed partial class MmStruct
{
    private List<UffdEvent>? _uffdEvents;
    private bool _collectUffdEvents;

    /// <summary>Whether this syscall delivers the events it produces.</summary>
    internal bool CollectsUffdEvents => _collectUffdEvents;

    /// <summary>Starts collecting events for a syscall that delivers them (munmap, mmap, mremap, brk, madvise).</summary>
    internal void BeginUffdEvents()
    {
        _collectUffdEvents = true;
        _uffdEvents = null;
    }

    /// <summary>The events collected since <see cref="BeginUffdEvents"/>, or null; collecting stops.</summary>
    internal List<UffdEvent>? EndUffdEvents()
    {
        _collectUffdEvents = false;
        var events = _uffdEvents;
        _uffdEvents = null;
        return events;
    }

    /// <summary>An event for <paramref name="ctx"/>, if this syscall delivers events; with dedup, not twice the same.</summary>
    internal void AddUffdEvent(UserfaultfdCtx ctx, UffdMsg msg, bool dedup = false)
    {
        if (!_collectUffdEvents)
            return;
        _uffdEvents ??= [];
        if (dedup && _uffdEvents.Contains(new UffdEvent(ctx, msg)))
            return;
        _uffdEvents.Add(new UffdEvent(ctx, msg));
    }

    /// <summary>
    /// The context fork made for the child's VMAs registered with <paramref name="orig"/> (the fork ctx list of
    /// dup_userfaultfd()), made by <paramref name="create"/> and announced with a FORK event the first time.
    /// </summary>
    internal UserfaultfdCtx ForkedUffdCtx(UserfaultfdCtx orig, Func<UserfaultfdCtx> create)
    {
        _uffdEvents ??= [];
        foreach (var ev in _uffdEvents)
        {
            if (ev.Ctx == orig && ev.Forked is { } made)
                return made;
        }
        var ctx = create();
        _uffdEvents.Add(new UffdEvent(orig, default, ctx));
        return ctx;
    }
}
