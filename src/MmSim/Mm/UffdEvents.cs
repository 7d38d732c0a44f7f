using MmSim.Userfaultfd;

namespace MmSim.Mm;

// The userfaultfd events a syscall produces while it changes the mm (the "uf" lists mm/vma.c and mm/mremap.c pass
// down): collected here during the call, delivered by the syscall's caller once the mm change is done.
internal sealed partial class MmStruct
{
    private List<(UserfaultfdCtx Ctx, UffdMsg Msg)>? _uffdEvents;
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
    internal List<(UserfaultfdCtx Ctx, UffdMsg Msg)>? EndUffdEvents()
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
        if (dedup && _uffdEvents.Contains((ctx, msg)))
            return;
        _uffdEvents.Add((ctx, msg));
    }
}
