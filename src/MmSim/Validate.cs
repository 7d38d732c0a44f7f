using MmSim.Mm;

namespace MmSim;

// CONFIG_DEBUG_VM for the model: every invariant recomputed from scratch and compared.
public sealed partial class Kernel
{
    /// <summary>Recomputes every invariant; throws <see cref="InvariantViolationException"/> on the first broken one.</summary>
    public void Validate()
    {
        foreach (var (tid, task) in _tasks)
        {
            if (task.Tid != tid || !task.Process.IsAlive || (!task.IsAlive && !task.IsLeader))
                Fail($"{task}: in the task table under {tid}, but dead or misfiled");
        }
        var mapCount = new Dictionary<int, int>();
        _validateSwapRefs.Clear();
        var files = new HashSet<ShmemFile>();
        var anonVmas = new HashSet<AnonVma>();
        long committed = 0;
        long pageTableBytes = 0;
        foreach (var p in _processes.Values)
        {
            if (!p.IsAlive || p.Mm is null)
                Fail($"{p}: dead process still in the process table");
            var mm = p.Mm!;
            ValidateTasks(p);
            ValidateMm(p, mm, mapCount, files, anonVmas, ref committed);
            pageTableBytes += mm.PageTables.Bytes;
            foreach (var f in p.OpenFiles)
                files.Add(f);
        }
        ValidateMmapChanging();
        foreach (var f in files)
            committed += f.AccountedPages;
        committed += CommittedUnbacked;
        if (committed != CommittedPages)
            Fail($"Committed_AS is {CommittedPages} pages, recomputed {committed}");

        // Frames: refcount = mappings + page-cache reference; nothing in use that nothing refers to.
        var cached = new Dictionary<int, ShmemFile>();
        long nrShmem = 0;
        foreach (var f in files)
        {
            foreach (var (index, pfn) in f.PagesFrom(0))
            {
                if (Phys.Owner(pfn) != f || Phys.Index(pfn) != index)
                    Fail($"page cache of {f.Name} index {index}: frame {pfn} has owner/index {Phys.Owner(pfn)}/{Phys.Index(pfn)}");
                cached[pfn] = f;
                nrShmem++;
            }
            if (f.Size < 0)
                Fail($"{f.Name}: negative size");
            foreach (var (index, entry) in f.SwapBetween(0, ulong.MaxValue))
            {
                if (f.Find(index) >= 0)
                    Fail($"{f.Name} index {index}: both cached and swapped out");
                _validateSwapRefs[entry.Raw] = _validateSwapRefs.GetValueOrDefault(entry.Raw) + 1;
            }
        }
        if (nrShmem != NrShmem)
            Fail($"Shmem is {NrShmem} pages, recomputed {nrShmem}");
        var swapCached = ValidateSwap();
        var batched = new Dictionary<int, int>();
        foreach (int pfn in Lru.Pending)
            batched[pfn] = batched.GetValueOrDefault(pfn) + 1;
        int used = 1;
        long mlocked = 0;
        for (int pfn = 1; pfn < Phys.HighWater; pfn++)
        {
            if (!Phys.IsAllocated(pfn))
            {
                if (mapCount.ContainsKey(pfn) || cached.ContainsKey(pfn))
                    Fail($"frame {pfn} is free but mapped or cached");
                continue;
            }
            used++;
            int maps = mapCount.GetValueOrDefault(pfn);
            int refs = maps + (cached.ContainsKey(pfn) ? 1 : 0) + (swapCached.Contains(pfn) ? 1 : 0) + batched.GetValueOrDefault(pfn);
            if (Phys.MapCount(pfn) != maps)
                Fail($"frame {pfn}: mapcount {Phys.MapCount(pfn)}, page tables map it {maps} times");
            if (Phys.RefCount(pfn) != refs)
                Fail($"frame {pfn}: refcount {Phys.RefCount(pfn)}, expected {refs} (leaked or over-freed)");
            var flags = Phys.Flags(pfn);
            if ((flags & PageFlags.Mlocked) != 0)
                mlocked++;
            // LRU: every folio is on a list or waits in a CPU batch to join one; a lazyfree folio (anonymous, no longer
            // swap-backed) is never in the swap cache, and a swap-cache folio is swap-backed.
            if ((flags & PageFlags.Lru) == 0 && !batched.ContainsKey(pfn))
                Fail($"frame {pfn} ({flags}) is on no LRU list and in no batch");
            if ((flags & PageFlags.SwapCache) != 0 && (flags & PageFlags.SwapBacked) == 0)
                Fail($"frame {pfn} ({flags}) is in the swap cache but not swap-backed");
            if ((flags & (PageFlags.Active | PageFlags.Mlocked)) == (PageFlags.Active | PageFlags.Mlocked) && batched.ContainsKey(pfn) == false)
                Fail($"frame {pfn} ({flags}) is mlocked yet on an active list");
            // A folio is on the list its flags choose, unless a batch is to move it; an unmapped folio may stay on the
            // unevictable list after its last mlock went, as on Linux, until reclaim finds it.
            if (Phys.TryGetLru(pfn, out var list) && !batched.ContainsKey(pfn)
                && list != LruList.Unevictable && LruLists.For(flags) != list)
                Fail($"frame {pfn} ({flags}) is on the {list} list");
        }
        ValidateLruLists();
        long tables = 0;
        foreach (var p in _processes.Values)
        {
            if (p.Mm is { } mm)
                tables += mm.PageTables.NrPtes + mm.PageTables.NrPmds + mm.PageTables.NrPuds + (mm.PageTables.HasPgd ? 1 : 0);
        }
        if (tables != Phys.PageTablePages)
            Fail($"{Phys.PageTablePages} frames charged to page tables, recomputed {tables}");
        if (Phys.TotalFrames - used - tables != Phys.FreeFrames)
            Fail($"free frames {Phys.FreeFrames}, recomputed {Phys.TotalFrames - used - tables}");
        if (mlocked != NrMlock)
            Fail($"Mlocked is {NrMlock} pages, recomputed {mlocked}");
        foreach (var av in anonVmas)
        {
            int active = 0;
            foreach (var avc in av.Chains)
            {
                if (!avc.Vma.Chain.Contains(avc))
                    Fail($"{av}: chain to {avc.Vma} not on the VMA's list");
                if (avc.Vma.AnonVma == av)
                    active++;
            }
            if (active != av.NumActiveVmas)
                Fail($"{av}: num_active_vmas {av.NumActiveVmas}, recomputed {active}");
        }
    }

    /// <summary>Each LRU list is linked both ways, its size is its length, and each folio on it says it is on it.</summary>
    private void ValidateLruLists()
    {
        for (int l = 0; l < LruLists.Count; l++)
        {
            var list = (LruList)l;
            long n = 0;
            int newer = -1;
            for (int pfn = Phys.LruOldest(list); pfn >= 0; pfn = Phys.LruNewer(pfn))
            {
                if (!Phys.IsAllocated(pfn) || !Phys.TryGetLru(pfn, out var on) || on != list)
                    Fail($"frame {pfn} is linked into the {list} list but not on it");
                if (Phys.LruOlder(pfn) != newer)
                    Fail($"frame {pfn} on the {list} list: its older neighbour is {Phys.LruOlder(pfn)}, not {newer}");
                newer = pfn;
                if (++n > Phys.TotalFrames)
                    Fail($"the {list} list loops");
            }
            if (newer != Phys.LruNewest(list))
                Fail($"the {list} list's head is {Phys.LruNewest(list)}, its newest folio {newer}");
            if (n != Phys.LruSize(list))
                Fail($"the {list} list holds {n} folios, its size says {Phys.LruSize(list)}");
        }
    }

    /// <summary>
    /// Swap: each slot's count is the page-table entries that refer to it; a slot is in use iff referenced or cached;
    /// the swap cache and its folios agree (PG_swapcache, folio->swap); free and cached totals add up. Returns the
    /// frames the swap cache holds.
    /// </summary>
    private HashSet<int> ValidateSwap()
    {
        var cachedFrames = new HashSet<int>();
        long free = 0, total = 0;
        foreach (var dev in Swap.Devices)
        {
            total += dev.Usable;
            int inUse = 0;
            for (int offset = 1; offset < dev.Pages; offset++)
            {
                var e = new Mm.Swap.SwapEntry(dev.Type, offset);
                int refs = _validateSwapRefs.GetValueOrDefault(e.Raw);
                if (dev.Count(offset) != refs)
                    Fail($"{e}: count {dev.Count(offset)}, page tables refer to it {refs} times");
                int pfn = dev.CachePfn(offset);
                if (pfn >= 0)
                {
                    if (!Phys.IsAllocated(pfn) || (Phys.Flags(pfn) & PageFlags.SwapCache) == 0 || Phys.SwapSlot(pfn) != e.Raw)
                        Fail($"{e}: cached by frame {pfn}, which is not in the swap cache for it");
                    if (!cachedFrames.Add(pfn))
                        Fail($"frame {pfn} caches two swap slots");
                }
                if (dev.IsUsed(offset))
                    inUse++;
                else
                    free++;
            }
            if (inUse != dev.InUse)
                Fail($"swap device {dev.Type}: {dev.InUse} slots in use, recomputed {inUse}");
        }
        if (total != Swap.TotalPages || free != Swap.FreePages || cachedFrames.Count != Swap.CachedPages)
            Fail($"swap totals {Swap.TotalPages}/{Swap.FreePages}/{Swap.CachedPages}, recomputed {total}/{free}/{cachedFrames.Count}");
        for (int pfn = 1; pfn < Phys.HighWater; pfn++)
        {
            if (Phys.IsAllocated(pfn) && (Phys.Flags(pfn) & PageFlags.SwapCache) != 0 && !cachedFrames.Contains(pfn))
                Fail($"frame {pfn} has PG_swapcache but no slot of the cache points to it");
        }
        return cachedFrames;
    }

    /// <summary>
    /// ctx->mmap_changing counts, per context, the callers of syscalls with events for it that have not returned:
    /// from the event each one waits on (or was woken from) to its last.
    /// </summary>
    private void ValidateMmapChanging()
    {
        var expected = new Dictionary<Userfaultfd.UserfaultfdCtx, int>();
        foreach (var p in _processes.Values)
        {
            foreach (var ctx in p.OpenUserfaultfds)
                expected.TryAdd(ctx, 0);
            foreach (var task in p.Tasks)
            {
                if (task.PendingEvents is not { } batch)
                    continue;
                for (int i = Math.Max(0, batch.Next - 1); i < batch.Events.Count; i++)
                    expected[batch.Events[i].Ctx] = expected.GetValueOrDefault(batch.Events[i].Ctx) + 1;
            }
        }
        foreach (var (ctx, count) in expected)
        {
            if (ctx.MmapChanging != count)
                Fail($"{ctx}: mmap_changing {ctx.MmapChanging}, recomputed {count}");
        }
    }

    /// <summary>A live process has a live task; each live task, and the leader, can be found by its tid.</summary>
    private void ValidateTasks(Process p)
    {
        if (p.Tasks.Count == 0)
            Fail($"{p}: alive without a task");
        foreach (var task in p.Tasks)
        {
            if (!task.IsAlive || FindTask(task.Tid) != task)
                Fail($"{task}: live in its process but dead or missing from the task table");
        }
        if (FindTask(p.Pid) != p.Leader)
            Fail($"{p}: its leader is not found by the pid");
        foreach (var task in p.Tasks)
        {
            if (task.WaitingOn is Userfaultfd.UserfaultfdCtx ctx
                && !ctx.FaultPending.Exists(u => u.Task == task) && !ctx.Faults.Exists(u => u.Task == task) && !ctx.Readers.Contains(task)
                && !ctx.EventPending.Exists(e => e.Task == task))
                Fail($"{task}: blocked on {ctx} but in none of its wait queues");
            if (task.PendingEvents is { } batch && (batch.Next == 0 || batch.Next > batch.Events.Count))
                Fail($"{task}: waits for event {batch.Next} of {batch.Events.Count}");
        }
    }

    private void ValidateMm(Process p, MmStruct mm, Dictionary<int, int> mapCount, HashSet<ShmemFile> files,
        HashSet<AnonVma> anonVmas, ref long committed)
    {
        mm.Vmas.Validate();
        long total = 0, data = 0, exec = 0, stack = 0, locked = 0;
        long rssAnon = 0, rssFile = 0, rssShmem = 0, swapEnts = 0;
        Vma? prev = null;
        foreach (var vma in mm.Vmas)
        {
            string where = $"{p} VMA {vma}";
            if ((vma.Start & 4095) != 0 || (vma.End & 4095) != 0 || vma.Start >= vma.End || vma.End > MmStruct.TaskSize)
                Fail($"{where}: bad bounds");
            if (prev is not null && prev.End > vma.Start)
                Fail($"{where}: overlaps {prev}");
            if (prev is not null && !mm.UnmergedNeighboursPossible && MmStruct.WouldMerge(prev, vma))
                Fail($"{where}: Linux would have merged it with {prev}");
            if (vma.Mm != mm)
                Fail($"{where}: belongs to another mm");
            if ((vma.UffdCtx is null) != ((vma.Flags & VmFlags.UffdFlags) == 0))
                Fail($"{where}: userfaultfd modes {vma.Flags & VmFlags.UffdFlags} with context {vma.UffdCtx}");
            if (vma.UffdCtx is { } ctx && (ctx.Released || ctx.Mm != mm))
                Fail($"{where}: registered with {ctx}, released or of another mm");
            if ((vma.AnonVma is null) != (vma.Chain.Count == 0))
                Fail($"{where}: anon_vma {vma.AnonVma} with {vma.Chain.Count} chains");
            if (vma.AnonVma is not null && !vma.Chain.Exists(c => c.AnonVma == vma.AnonVma))
                Fail($"{where}: its anon_vma is not on its chain");
            foreach (var avc in vma.Chain)
            {
                if (avc.Vma != vma || !avc.AnonVma.Chains.Contains(avc))
                    Fail($"{where}: broken anon_vma_chain");
                anonVmas.Add(avc.AnonVma);
            }
            if (vma.File is not null)
            {
                files.Add(vma.File);
                if (vma.File.Users <= 0)
                    Fail($"{where}: file {vma.File.Name} has no users");
            }
            long n = (long)vma.Pages;
            total += n;
            if (MmStruct.IsExecMapping(vma.Flags))
                exec += n;
            else if (MmStruct.IsStackMapping(vma.Flags))
                stack += n;
            else if (MmStruct.IsDataMapping(vma.Flags))
                data += n;
            if ((vma.Flags & VmFlags.Locked) != 0)
                locked += n;
            if ((vma.Flags & VmFlags.Account) != 0)
                committed += n;
            ValidatePtes(p, mm, vma, mapCount, ref rssAnon, ref rssFile, ref rssShmem, ref swapEnts);
            prev = vma;
        }
        Check(p, "total_vm", mm.TotalVm, total);
        Check(p, "data_vm", mm.DataVm, data);
        Check(p, "exec_vm", mm.ExecVm, exec);
        Check(p, "stack_vm", mm.StackVm, stack);
        Check(p, "locked_vm", mm.LockedVm, locked + mm.LockedVmUnbacked);
        Check(p, "MM_ANONPAGES", mm.RssAnon, rssAnon);
        Check(p, "MM_FILEPAGES", mm.RssFile, rssFile);
        Check(p, "MM_SHMEMPAGES", mm.RssShmem, rssShmem);
        Check(p, "MM_SWAPENTS", mm.SwapEnts, swapEnts);
        ValidatePageTables(p, mm);
    }

    // Swap slot references found in page tables during Validate(), by SwapEntry.Raw.
    private readonly Dictionary<ulong, int> _validateSwapRefs = [];

    private void ValidatePtes(Process p, MmStruct mm, Vma vma, Dictionary<int, int> mapCount,
        ref long rssAnon, ref long rssFile, ref long rssShmem, ref long swapEnts)
    {
        for (ulong addr = vma.Start; addr < vma.End; addr += 4096)
        {
            var table = mm.PageTables.LookupPteTable(addr);
            if (table is null)
            {
                addr = (addr & PageTables.PmdMask) + PageTables.PmdSize - 4096;
                continue;
            }
            var pte = new Pte(table.Entries[PageTables.PteIndex(addr)]);
            if (pte.IsNone)
                continue;
            string where = $"{p} PTE at 0x{addr:x} ({pte})";
            if (pte.IsSwapEntry)
            {
                var entry = Mm.Swap.SwapEntry.FromPte(pte);
                if (entry.Type >= Swap.Devices.Count || !Swap.Devices[entry.Type].IsUsed(entry.Offset))
                    Fail($"{where}: swap entry of a free or missing slot");
                if (!vma.IsAnonymous && vma.IsShared)
                    Fail($"{where}: swap entry in a shared file VMA");
                // A folio the swap cache holds for the slot is the page this PTE had: its anon_vma is reachable.
                int cachedPfn = Swap.CachePfn(entry);
                if (cachedPfn >= 0 && (Phys.Flags(cachedPfn) & PageFlags.Anon) != 0
                    && (Phys.Owner(cachedPfn) is not AnonVma cachedOwner || !vma.Chain.Exists(c => c.AnonVma == cachedOwner)))
                    Fail($"{where}: the swap cache's folio {cachedPfn} has anon_vma {Phys.Owner(cachedPfn)}, not reachable from the VMA");
                _validateSwapRefs[entry.Raw] = _validateSwapRefs.GetValueOrDefault(entry.Raw) + 1;
                swapEnts++;
                continue;
            }
            if (!pte.IsPresent)
            {
                // PTE markers: uffd-wp, poison and guard bits, nothing else.
                if (!pte.IsMarker || pte.MarkerBits == 0
                    || (pte.MarkerBits & ~(Pte.MarkerUffdWp | Pte.MarkerPoisoned | Pte.MarkerGuard)) != 0)
                    Fail($"{where}: a non-present entry that is not a PTE marker");
                continue;
            }
            if (pte.IsUffdWp && pte.IsWrite)
                Fail($"{where}: write-protected for userfaultfd yet writable");
            if (pte.IsSpecial)
            {
                if (pte.Pfn != PhysicalMemory.ZeroPfn || pte.IsWrite || !vma.IsAnonymous && vma.IsShared)
                    Fail($"{where}: special entry that is not a read-only zero page");
                continue;
            }
            int pfn = pte.Pfn;
            if (!Phys.IsAllocated(pfn))
                Fail($"{where}: maps free frame {pfn}");
            if (pte.IsWrite && (vma.Flags & VmFlags.Write) == 0)
                Fail($"{where}: writable in a VMA without VM_WRITE");
            mapCount[pfn] = mapCount.GetValueOrDefault(pfn) + 1;
            var flags = Phys.Flags(pfn);
            // A frame a VM_LOCKED VMA maps has PG_mlocked. Not the converse: mremap(MREMAP_DONTUNMAP) clears
            // VM_LOCKED on the source without munlocking the pages left there, as Linux 6.18 does.
            if ((vma.Flags & VmFlags.Locked) != 0 && (flags & PageFlags.Mlocked) == 0)
                Fail($"{where}: frame {pfn} in a VM_LOCKED VMA without PG_mlocked");
            if ((flags & PageFlags.Anon) != 0)
            {
                rssAnon++;
                if (vma.IsShared)
                    Fail($"{where}: anonymous page in a shared VMA");
                var owner = Phys.Owner(pfn) as AnonVma;
                if (owner is null || !vma.Chain.Exists(c => c.AnonVma == owner))
                    Fail($"{where}: anon page's anon_vma {owner} is not reachable from the VMA (rmap broken)");
                if (Phys.Index(pfn) != vma.LinearPageIndex(addr))
                    Fail($"{where}: anon page index {Phys.Index(pfn)} but linear index {vma.LinearPageIndex(addr)}");
                if (pte.IsWrite && (flags & PageFlags.AnonExclusive) == 0)
                    Fail($"{where}: writable PTE to a shared (non-exclusive) anon page");
            }
            else
            {
                if ((flags & PageFlags.SwapBacked) != 0)
                    rssShmem++;
                else
                    rssFile++;
                if (Phys.Owner(pfn) != vma.File || Phys.Index(pfn) != vma.LinearPageIndex(addr))
                    Fail($"{where}: page-cache page {pfn} is not the file's page at this offset");
                if (pte.IsWrite && !vma.IsShared)
                    Fail($"{where}: writable PTE to a page-cache page in a private mapping");
            }
        }
    }

    private static void ValidatePageTables(Process p, MmStruct mm)
    {
        long puds = 0, pmds = 0, ptes = 0;
        foreach (var pud in mm.PageTables.Pgd)
        {
            if (pud is null)
                continue;
            puds++;
            foreach (var pmd in pud.Entries)
            {
                if (pmd is null)
                    continue;
                pmds++;
                foreach (var pte in pmd.Entries)
                {
                    if (pte is not null)
                        ptes++;
                }
            }
        }
        Check(p, "nr_puds", mm.PageTables.NrPuds, puds);
        Check(p, "nr_pmds", mm.PageTables.NrPmds, pmds);
        Check(p, "nr_ptes", mm.PageTables.NrPtes, ptes);
    }

    private static void Check(Process p, string what, long actual, long expected)
    {
        if (actual != expected)
            Fail($"{p}: {what} is {actual}, recomputed {expected}");
    }

    private static void Fail(string message) => throw new InvariantViolationException(message);
}
